"""Columnar facts: many candidates (or vacancies) as NumPy arrays, one array per attribute.

The vectorised path (``vectorised.py``) evaluates a whole pool at once from these. They hold exactly what
the frozen facts (``facts.py``) hold, in another shape, and ``candidate_columns`` / ``vacancy_columns``
build them from those facts, so the two paths start from the same inputs:

- one value per row for single attributes (a date of birth as year and month-day, flags, ids; a date as
  its ordinal, 0 for none; an id, -1 for none);
- ``Ragged`` children (a candidate's languages, diplomas, experiences, skills ...; a vacancy's language
  requirements and skills): flat arrays with offsets, row ``i`` owning ``offsets[i]:offsets[i + 1]``;
- strings (language codes, ISCO codes and their prefixes, licence kinds, regions) as small integers of a
  shared ``Vocabulary``; sets of licence kinds and of regions as bit masks.

Derived per-candidate values that do not depend on the vacancy or the reference facts (the highly
skilled diploma test, the recognition state for regulated professions) are computed here once, with the
scalar core's own functions.
"""

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np

from recruitment.matching.derived import (
    CARE_ISCO,
    EVIDENCE_WEIGHT,
    NURSING_ISCO,
    PENDING_RECOGNITION,
    effective_isced,
    is_nursing_diploma,
)
from recruitment.matching.eligibility import FLEMISH_REGION
from recruitment.matching.facts import EU_EEA_CH, CandidateFacts, DiplomaFacts, Recognition, VacancyFacts
from recruitment.matching.routes import INTERNSHIP, TRAINEE_MIN_ISCED, _qualifies_as_higher_education
from recruitment.matching.scoring import RECOGNITION_DONE, RECOGNITION_UNDER_WAY

KEY_BITS = 32  # child keys (skill ids, employer ids, vocabulary ids) are looked up as (row << 32) | key
BELGIUM = "BE"  # a preferred region meaning all of Belgium (scoring._region_preference)

# Highly skilled diploma test (routes.highly_skilled_diploma): 0 passes, else which failure.
HS_DIPLOMA_OK, HS_NO_HIGHER_EDUCATION, HS_INSTITUTION_NOT_RECOGNISED = 0, 1, 2
# Regulated profession (eligibility.check_regulated_profession): the best state over the diplomas.
REGULATED_OK, LICENCE_MISSING, RECOGNITION_PENDING, NOT_REQUESTED, REFUSED, NO_DIPLOMA = range(6)
# Medium-skilled pay category (routes.medium_pay_category).
PAY_OK, PAY_UNCONFIRMED, PAY_BELOW_SKILLED = 0, 1, 2


class Vocabulary:
    """Strings as small integers, per kind ("language", "isco", "licence", "region"). Ids only need to
    agree between the candidate and vacancy columns evaluated together, so both are built with one
    vocabulary. Licence kinds and regions become bits of a mask: at most 63 of each."""

    MASK_KINDS = frozenset({"licence", "region"})

    def __init__(self) -> None:
        self._ids: dict[str, dict[str, int]] = {}

    def id(self, kind: str, text: str) -> int:
        ids = self._ids.setdefault(kind, {})
        found = ids.get(text)
        if found is None:
            found = ids[text] = len(ids)
            if kind in self.MASK_KINDS and found >= 63:
                raise ValueError(f"more than 63 distinct {kind} values")
        return found

    def mask(self, kind: str, texts: Iterable[str]) -> int:
        bits = 0
        for text in texts:
            bits |= 1 << self.id(kind, text)
        return bits

    def isco(self, code: str) -> tuple[int, tuple[int, int, int, int]]:
        """An ISCO code's id and the ids of its first 1..4 characters (-1 where the code is shorter):
        two codes share ``k`` leading digits exactly when their first ``k`` prefix ids are equal
        (``derived.shared_isco_digits``)."""
        a, b, c, d = (self.id("isco", code[:k]) if len(code) >= k else -1 for k in (1, 2, 3, 4))
        return self.id("isco", code), (a, b, c, d)


@dataclass(frozen=True)
class Ragged:
    """The children of each row: row ``i`` owns elements ``offsets[i]:offsets[i + 1]`` of every array
    in ``values``; ``owner`` is the row of each element. Within a row, children are in the order the
    rules read them (sorted by key where they are looked up)."""

    offsets: np.ndarray
    values: dict[str, np.ndarray]
    owner: np.ndarray = field(init=False, repr=False, compare=False)
    _keys: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        counts = np.diff(self.offsets)
        object.__setattr__(self, "owner", np.repeat(np.arange(len(counts), dtype=np.int64), counts))

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]

    @property
    def rows(self) -> int:
        return len(self.offsets) - 1

    def take(self, rows: np.ndarray) -> "Ragged":
        """The children of ``rows``, in that order."""
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        counts = ends - starts
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        block = np.repeat(starts - offsets[:-1], counts) + np.arange(int(offsets[-1]), dtype=np.int64)
        return Ragged(offsets, {name: array[block] for name, array in self.values.items()})

    @staticmethod
    def concat(parts: Sequence["Ragged"]) -> "Ragged":
        offsets = [np.zeros(1, dtype=np.int64)]
        base = 0
        for part in parts:
            offsets.append(part.offsets[1:] + base)
            base += int(part.offsets[-1])
        names = parts[0].values.keys()
        return Ragged(
            np.concatenate(offsets),
            {name: np.concatenate([part.values[name] for part in parts]) for name in names},
        )

    def lookup(self, key_name: str, rows: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each (row, key): whether row has a child with that key, and the child's index (0 when
        not found). Children are sorted by key within a row, so (row, key) is sorted overall."""
        combined = self._keys.get(key_name)
        if combined is None:
            combined = (self.owner << KEY_BITS) | self.values[key_name].astype(np.int64)
            self._keys[key_name] = combined
        wanted = (rows.astype(np.int64) << KEY_BITS) | keys.astype(np.int64)
        index = np.searchsorted(combined, wanted)
        inside = index < len(combined)
        index = np.where(inside, index, 0)
        found = inside & (combined[index] == wanted) if len(combined) else np.zeros(len(rows), dtype=bool)
        return found, index

    def pick(self, name: str, found: np.ndarray, index: np.ndarray, default: Any) -> np.ndarray:
        """``values[name][index]`` where ``found``, else ``default`` (``lookup``'s answer, read)."""
        values = self.values[name]
        if len(values) == 0:
            return np.full((len(found), *values.shape[1:]), default, dtype=values.dtype)
        chosen = values[index]
        mask = found.reshape(len(found), *([1] * (chosen.ndim - 1)))
        return np.where(mask, chosen, default).astype(values.dtype)


def _ragged(children: list[list[tuple[Any, ...]]], names: Sequence[str], dtypes: Sequence[Any]) -> Ragged:
    counts = np.fromiter((len(c) for c in children), dtype=np.int64, count=len(children))
    offsets = np.zeros(len(children) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    flat = [item for child in children for item in child]
    values = {}
    for index, (name, dtype) in enumerate(zip(names, dtypes, strict=True)):
        column = [item[index] for item in flat]
        values[name] = np.array(column, dtype=dtype) if column else np.zeros((0,), dtype=dtype)
    return Ragged(offsets, values)


def _fix_shapes(ragged: Ragged, name: str, width: int) -> None:
    if ragged.values[name].ndim == 1:  # no children at all: an empty (0, width) array
        ragged.values[name] = ragged.values[name].reshape(0, width)


@dataclass(frozen=True)
class CandidateColumns:
    """Candidates as columns (see the module docstring); row ``i`` is ``ids[i]``."""

    ids: np.ndarray
    dob_year: np.ndarray
    dob_month_day: np.ndarray  # month * 100 + day
    eu_citizen: np.ndarray
    nationality_unknown: np.ndarray
    in_belgium: np.ndarray
    candidate_paid: np.ndarray
    training_completed: np.ndarray
    accepts_entry_role: np.ndarray
    available_from: np.ndarray  # ordinal, 0 = unknown
    project: np.ndarray  # -1 = none
    regions: np.ndarray  # bit mask of preferred regions
    licences: np.ndarray  # bit mask of licence kinds
    has_wishes: np.ndarray  # any desired occupation or ISCO code
    hs_diploma: np.ndarray  # HS_* above
    best_isced: np.ndarray  # highest effective ISCED level, 0 without diploma
    nursing_pending: np.ndarray  # a nursing diploma whose recognition is under way
    nursing_not_requested: np.ndarray
    regulated_state: np.ndarray  # REGULATED_OK ... NO_DIPLOMA
    # The trainee route (routes.trainee_diploma): the latest award date of a dated higher-education
    # diploma (ordinal, 0 = none), and whether one has no date (the day decides, in the vectorised path).
    higher_awarded: np.ndarray
    higher_undated: np.ndarray
    languages: Ragged  # language, levels (n, 5): the best per skill, one row per language, sorted
    diplomas: Ragged  # isced (effective), recognition_share (0.5 done, 0.25 under way, 0)
    experiences: Ragged  # occupation, isco, prefixes (n, 4), years; in the facts' order
    skills: Ragged  # skill, weight (the best evidence), sorted by skill
    desired: Ragged  # occupation, sorted
    desired_isco: Ragged  # isco, prefixes (n, 4), sorted by isco
    consents: Ragged  # employer, sorted
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def cached(self, key: Any, build: Any) -> Any:
        """A value derived from these columns (and ``key``), built once."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def take(self, rows: np.ndarray) -> "CandidateColumns":
        """The candidates at ``rows``, in that order."""
        return _take(self, rows)

    @staticmethod
    def concat(parts: Sequence["CandidateColumns"]) -> "CandidateColumns":
        return _concat(CandidateColumns, parts)


Table = TypeVar("Table", "CandidateColumns", "VacancyColumns")


def _take(table: Table, rows: np.ndarray) -> Table:
    """The rows ``rows`` of a table of columns, in that order (derived caches are not carried over)."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(table):
        if f.name != "_cache":
            value = getattr(table, f.name)
            changes[f.name] = value.take(rows) if isinstance(value, Ragged) else value[rows]
    return type(table)(**changes)


def _concat(kind: type[Table], parts: Sequence[Table]) -> Table:
    """The rows of ``parts``, one after the other."""
    merged: dict[str, Any] = {}
    for f in dataclasses.fields(kind):
        if f.name != "_cache":
            values = [getattr(part, f.name) for part in parts]
            merged[f.name] = (
                Ragged.concat(values) if isinstance(values[0], Ragged) else np.concatenate(values)
            )
    return kind(**merged)


def _regulated_state(candidate: CandidateFacts) -> int:
    """``eligibility.check_regulated_profession`` as a state, best first."""
    diplomas = candidate.diplomas
    full = [d for d in diplomas if d.recognition is Recognition.FULL_EQUIVALENCE]
    if any(d.licence_to_practise for d in full):
        return REGULATED_OK
    if full:
        return LICENCE_MISSING
    if any(d.recognition in PENDING_RECOGNITION for d in diplomas):
        return RECOGNITION_PENDING
    if any(d.recognition is Recognition.NOT_REQUESTED for d in diplomas):
        return NOT_REQUESTED
    return REFUSED if diplomas else NO_DIPLOMA


def _hs_diploma(candidate: CandidateFacts) -> int:
    """``routes.highly_skilled_diploma`` as a state."""
    higher = [d for d in candidate.diplomas if _qualifies_as_higher_education(d)]
    if not higher:
        return HS_NO_HIGHER_EDUCATION
    if not any(d.state_recognised and not d.private_institution for d in higher):
        return HS_INSTITUTION_NOT_RECOGNISED
    return HS_DIPLOMA_OK


def _is_trainee_higher(diploma: DiplomaFacts) -> bool:
    return effective_isced(diploma) >= TRAINEE_MIN_ISCED


def _higher_awarded(candidate: CandidateFacts) -> int:
    """The latest award date of a dated higher-education diploma, as an ordinal (0: none)."""
    dated = [d.awarded_on for d in candidate.diplomas if _is_trainee_higher(d) and d.awarded_on is not None]
    return max(dated).toordinal() if dated else 0


def _recognition_share(recognition: Recognition) -> float:
    """``scoring.score_qualification``'s recognition part."""
    if recognition in RECOGNITION_DONE:
        return 0.5
    if recognition in RECOGNITION_UNDER_WAY:
        return 0.25
    return 0.0


def _check_key(value: int) -> int:
    if not 0 <= value < 1 << KEY_BITS:
        raise ValueError(f"id {value} does not fit the columns' 32-bit keys")
    return value


def candidate_columns(candidates: Sequence[CandidateFacts], vocabulary: Vocabulary) -> CandidateColumns:
    """The columns of ``candidates``, row ``i`` being ``candidates[i]``."""
    languages: list[list[tuple[Any, ...]]] = []
    diplomas: list[list[tuple[Any, ...]]] = []
    experiences: list[list[tuple[Any, ...]]] = []
    skills: list[list[tuple[Any, ...]]] = []
    desired: list[list[tuple[Any, ...]]] = []
    desired_isco: list[list[tuple[Any, ...]]] = []
    consents: list[list[tuple[Any, ...]]] = []
    for c in candidates:
        best_levels: dict[int, list[int]] = {}
        for entry in c.languages:
            levels = best_levels.setdefault(vocabulary.id("language", entry.language), [0, 0, 0, 0, 0])
            for index, level in enumerate(entry.levels):
                levels[index] = max(levels[index], level)
        languages.append(sorted((lang, tuple(levels)) for lang, levels in best_levels.items()))
        diplomas.append([(effective_isced(d), _recognition_share(d.recognition)) for d in c.diplomas])
        experiences.append([(e.occupation_id, *vocabulary.isco(e.isco_code), e.years) for e in c.experiences])
        weights: dict[int, float] = {}
        for skill_id, evidence in c.skills:
            weights[skill_id] = max(weights.get(skill_id, 0.0), EVIDENCE_WEIGHT.get(evidence, 0.0))
        skills.append(sorted((_check_key(skill), weight) for skill, weight in weights.items()))
        desired.append(sorted((_check_key(occupation),) for occupation in c.desired_occupation_ids))
        desired_isco.append(sorted(vocabulary.isco(code) for code in c.desired_isco_codes))
        consents.append(sorted((_check_key(employer),) for employer in c.consented_employer_ids))

    def column(values: Iterable[Any], dtype: Any) -> np.ndarray:
        return np.fromiter(values, dtype=dtype, count=len(candidates))

    spoken = _ragged(languages, ("language", "levels"), (np.int32, np.uint8))
    _fix_shapes(spoken, "levels", 5)
    exp = _ragged(
        experiences, ("occupation", "isco", "prefixes", "years"), (np.int64, np.int32, np.int32, float)
    )
    _fix_shapes(exp, "prefixes", 4)
    wished = _ragged(desired_isco, ("isco", "prefixes"), (np.int32, np.int32))
    _fix_shapes(wished, "prefixes", 4)
    for occupation in exp["occupation"]:
        _check_key(int(occupation))
    return CandidateColumns(
        ids=column((c.id for c in candidates), np.int64),
        dob_year=column((c.date_of_birth.year for c in candidates), np.int32),
        dob_month_day=column(
            (c.date_of_birth.month * 100 + c.date_of_birth.day for c in candidates), np.int32
        ),
        eu_citizen=column((bool(c.nationalities & EU_EEA_CH) for c in candidates), bool),
        nationality_unknown=column((not c.nationalities for c in candidates), bool),
        in_belgium=column((c.in_belgium for c in candidates), bool),
        candidate_paid=column((c.has_unrepaid_candidate_paid_cost for c in candidates), bool),
        training_completed=column((c.training_completed for c in candidates), bool),
        accepts_entry_role=column((c.accepts_entry_role_during_recognition for c in candidates), bool),
        available_from=column(
            (c.available_from.toordinal() if c.available_from else 0 for c in candidates), np.int32
        ),
        project=column((c.project_id if c.project_id is not None else -1 for c in candidates), np.int64),
        regions=column((vocabulary.mask("region", c.preferred_regions) for c in candidates), np.int64),
        licences=column((vocabulary.mask("licence", c.licences) for c in candidates), np.int64),
        has_wishes=column((bool(c.desired_occupation_ids or c.desired_isco_codes) for c in candidates), bool),
        hs_diploma=column((_hs_diploma(c) for c in candidates), np.int8),
        best_isced=column(
            (max((effective_isced(d) for d in c.diplomas), default=0) for c in candidates), np.int16
        ),
        nursing_pending=column(
            (
                any(is_nursing_diploma(d) and d.recognition in PENDING_RECOGNITION for d in c.diplomas)
                for c in candidates
            ),
            bool,
        ),
        nursing_not_requested=column(
            (
                any(is_nursing_diploma(d) and d.recognition is Recognition.NOT_REQUESTED for d in c.diplomas)
                for c in candidates
            ),
            bool,
        ),
        regulated_state=column((_regulated_state(c) for c in candidates), np.int8),
        higher_awarded=column((_higher_awarded(c) for c in candidates), np.int32),
        higher_undated=column(
            (any(_is_trainee_higher(d) and d.awarded_on is None for d in c.diplomas) for c in candidates),
            bool,
        ),
        languages=spoken,
        diplomas=_ragged(diplomas, ("isced", "recognition_share"), (np.int16, float)),
        experiences=exp,
        skills=_ragged(skills, ("skill", "weight"), (np.int64, float)),
        desired=_ragged(desired, ("occupation",), (np.int64,)),
        desired_isco=wished,
        consents=_ragged(consents, ("employer",), (np.int64,)),
    )


@dataclass(frozen=True)
class VacancyColumns:
    """Vacancies as columns; row ``i`` is ``ids[i]``. Salaries stay ``Decimal`` (compared with the
    thresholds exactly, once per vacancy)."""

    ids: np.ndarray
    employer: np.ndarray
    suspended: np.ndarray
    occupation: np.ndarray
    isco: np.ndarray
    isco_prefixes: np.ndarray  # (n, 4)
    is_care: np.ndarray
    is_nursing: np.ndarray
    regulated: np.ndarray
    flemish: np.ndarray
    region_bits: np.ndarray  # the vacancy's region and "all of Belgium", as a region mask
    function_vks: np.ndarray
    min_isced: np.ndarray  # -1 = none
    min_experience: np.ndarray
    salary: np.ndarray  # dtype object: Decimal
    indefinite: np.ndarray
    contract_months: np.ndarray  # -1 = unknown
    start_date: np.ndarray  # ordinal, 0 = none
    vdab_published: np.ndarray  # ordinal, 0 = none
    eures_published: np.ndarray
    secondment: np.ndarray
    internship: np.ndarray  # the trainee route instead of the four single-permit routes
    pay_state: np.ndarray  # PAY_*
    licences: np.ndarray  # bit mask of required licence kinds
    requirements: Ragged  # language, minimum (n, 5), mandatory; in the facts' order
    essential: Ragged  # skill, sorted
    optional: Ragged  # skill, sorted
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def cached(self, key: Any, build: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def take(self, rows: np.ndarray) -> "VacancyColumns":
        return _take(self, rows)

    @staticmethod
    def concat(parts: Sequence["VacancyColumns"]) -> "VacancyColumns":
        return _concat(VacancyColumns, parts)

    def below(self, threshold: Decimal | None) -> np.ndarray:
        """Per vacancy: the salary is below ``threshold`` (never, when the threshold is unknown)."""
        if threshold is None:
            return np.zeros(len(self), dtype=bool)
        return self.cached(
            ("below", threshold), lambda: np.array([s < threshold for s in self.salary], dtype=bool)
        )


def _pay_state(category: str) -> int:
    if category in ("skilled", "highly_skilled"):
        return PAY_OK
    return PAY_UNCONFIRMED if category == "" else PAY_BELOW_SKILLED


def vacancy_columns(vacancies: Sequence[VacancyFacts], vocabulary: Vocabulary) -> VacancyColumns:
    """The columns of ``vacancies``, row ``i`` being ``vacancies[i]``."""

    def column(values: Iterable[Any], dtype: Any) -> np.ndarray:
        return np.fromiter(values, dtype=dtype, count=len(vacancies))

    isco = [vocabulary.isco(v.isco_code) for v in vacancies]
    requirements = _ragged(
        [
            [(vocabulary.id("language", r.language), r.minimum, r.mandatory) for r in v.language_requirements]
            for v in vacancies
        ],
        ("language", "minimum", "mandatory"),
        (np.int32, np.uint8, bool),
    )
    _fix_shapes(requirements, "minimum", 5)
    salary = np.empty(len(vacancies), dtype=object)
    salary[:] = [v.annual_salary_eur for v in vacancies]
    return VacancyColumns(
        ids=column((v.id for v in vacancies), np.int64),
        employer=column((_check_key(v.employer_id) for v in vacancies), np.int64),
        suspended=column((v.employer_suspended for v in vacancies), bool),
        occupation=column((_check_key(v.occupation_id) for v in vacancies), np.int64),
        isco=column((i for i, _prefixes in isco), np.int32),
        isco_prefixes=np.array([p for _i, p in isco], dtype=np.int32).reshape(len(vacancies), 4),
        is_care=column((v.isco_code in CARE_ISCO for v in vacancies), bool),
        is_nursing=column((v.isco_code in NURSING_ISCO for v in vacancies), bool),
        regulated=column((v.regulated for v in vacancies), bool),
        flemish=column((v.region == FLEMISH_REGION for v in vacancies), bool),
        region_bits=column((vocabulary.mask("region", (v.region, BELGIUM)) for v in vacancies), np.int64),
        function_vks=column((v.function_vks_level for v in vacancies), np.int16),
        min_isced=column(
            (-1 if v.min_isced_level is None else v.min_isced_level for v in vacancies), np.int16
        ),
        min_experience=column((v.min_experience_years for v in vacancies), float),
        salary=salary,
        indefinite=column((v.contract_type == "indefinite" for v in vacancies), bool),
        contract_months=column(
            (-1 if v.contract_months is None else v.contract_months for v in vacancies), np.int32
        ),
        start_date=column((v.start_date.toordinal() if v.start_date else 0 for v in vacancies), np.int32),
        vdab_published=column(
            (v.vdab_published_on.toordinal() if v.vdab_published_on else 0 for v in vacancies), np.int32
        ),
        eures_published=column(
            (v.eures_published_on.toordinal() if v.eures_published_on else 0 for v in vacancies), np.int32
        ),
        secondment=column((v.is_secondment for v in vacancies), bool),
        internship=column((v.kind == INTERNSHIP for v in vacancies), bool),
        pay_state=column((_pay_state(v.pay_category) for v in vacancies), np.int8),
        licences=column((vocabulary.mask("licence", v.required_licences) for v in vacancies), np.int64),
        requirements=requirements,
        essential=_ragged(
            [sorted((s,) for s in v.essential_skill_ids) for v in vacancies], ("skill",), (np.int64,)
        ),
        optional=_ragged(
            [sorted((s,) for s in v.optional_skill_ids) for v in vacancies], ("skill",), (np.int64,)
        ),
    )
