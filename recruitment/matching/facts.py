"""Frozen inputs of the matching core. Built by ``recruitment/adapters.py`` from database rows.

Levels are small integers so that comparisons are cheap and obvious: CEFR A1=1 … C2=6 (0 = no level or
no requirement), ISCED 0–8, VKS 1–8. Ids are the database primary keys of the rows they came from.
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
LANGUAGE_SKILLS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")
EU_EEA_CH = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH".split()
)


def cefr_index(code: str) -> int:
    """``"B1"`` -> 3; ``""`` -> 0."""
    return CEFR_LEVELS.index(code) + 1 if code else 0


class Evidence(StrEnum):
    VERIFIED = "verified"
    TRAINING_CERTIFICATE = "training_certificate"
    SELF_DECLARED = "self_declared"


class Recognition(StrEnum):
    """The furthest state a diploma's recognition has reached (no steps = NOT_REQUESTED)."""

    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    LEVEL_EQUIVALENCE = "level_equivalence"
    PARTIAL = "partial"
    FULL_EQUIVALENCE = "full_equivalence"
    REFUSED = "refused"


class ThresholdCategory(StrEnum):
    HIGHLY_SKILLED = "highly_skilled"
    HIGHLY_SKILLED_REDUCED = "highly_skilled_reduced"
    MANAGER = "manager"
    EU_BLUE_CARD = "eu_blue_card"


@dataclass(frozen=True)
class LanguageLevels:
    language: str  # ISO 639-1
    levels: tuple[int, int, int, int, int]  # CEFR index per skill, in LANGUAGE_SKILLS order


@dataclass(frozen=True)
class LanguageCourse:
    """A language course under way: what closes a language gap, and by when."""

    language: str
    target_level: int  # CEFR index
    expected_by: datetime.date | None
    in_progress: bool


@dataclass(frozen=True)
class DiplomaFacts:
    isced_level: int
    duration_years: float | None
    state_recognised: bool
    private_institution: bool
    field: str  # ISCED-F code, e.g. "0913" nursing; "" unknown
    recognition: Recognition
    recognised_isced_level: int | None
    licence_to_practise: bool  # FOD Volksgezondheid visum (regulated health professions)
    # A recognition step concerns a nursing title (e.g. the equivalent Flemish diploma is a nursing one),
    # for when ``field`` is unknown or not "0913": the highly skilled nurse exception needs it.
    recognition_concerns_nursing: bool = False
    # When the diploma was awarded (None: not stated). The trainee route asks for a higher-education
    # diploma of the last two years (routes.check_trainee).
    awarded_on: datetime.date | None = None


@dataclass(frozen=True)
class ExperienceFacts:
    occupation_id: int
    isco_code: str  # the occupation's ISCO-08 unit group, four digits
    years: float  # full-time equivalent years


@dataclass(frozen=True)
class CandidateFacts:
    """What matching may know of a candidate. Nationality and date of birth serve the permit gate only."""

    id: int
    date_of_birth: datetime.date
    nationalities: frozenset[str]
    in_belgium: bool
    languages: tuple[LanguageLevels, ...]
    language_courses: tuple[LanguageCourse, ...]
    diplomas: tuple[DiplomaFacts, ...]
    experiences: tuple[ExperienceFacts, ...]
    skills: tuple[tuple[int, Evidence], ...]  # (skill id, evidence), sorted by id
    licences: frozenset[str]  # kinds valid or exchangeable in Belgium, e.g. "driving_ce", "code_95"
    available_from: datetime.date | None
    desired_occupation_ids: frozenset[int]
    preferred_regions: frozenset[str]
    accepts_entry_role_during_recognition: bool
    consented_employer_ids: frozenset[int]  # share_with_employer consents in force
    has_unrepaid_candidate_paid_cost: bool
    training_completed: bool  # a pre-departure programme completed
    project_id: int | None = None  # the candidate's project: its weights score them (ReferenceFacts)
    # ISCO-08 unit groups of the desired occupations: occupation fit compares them through the hierarchy.
    desired_isco_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LanguageRequirement:
    language: str
    minimum: tuple[int, int, int, int, int]  # CEFR index per skill, 0 = no requirement on that skill
    mandatory: bool


@dataclass(frozen=True)
class VacancyFacts:
    id: int
    employer_id: int
    employer_suspended: bool
    occupation_id: int
    isco_code: str  # four digits
    regulated: bool  # a regulated profession (nurse): full equivalence + licence to practise
    region: str  # VLG, BRU, WAL, DG
    function_vks_level: int
    min_isced_level: int | None
    min_experience_years: float
    annual_salary_eur: Decimal
    contract_type: str  # "indefinite" or "fixed_term"
    contract_months: int | None
    start_date: datetime.date | None
    language_requirements: tuple[LanguageRequirement, ...]
    essential_skill_ids: frozenset[int]
    optional_skill_ids: frozenset[int]
    required_licences: frozenset[str]
    vdab_published_on: datetime.date | None
    eures_published_on: datetime.date | None
    is_secondment: bool
    pay_category: str  # "", "unskilled", "semi_skilled", "skilled", "highly_skilled"
    open_to_project_ids: frozenset[int] = frozenset()
    # "employment" or "internship" (vacancies.models.Vacancy.Kind): an internship is checked against the
    # trainee route only, an employment against the four single-permit routes (routes.check_routes).
    kind: str = "employment"


@dataclass(frozen=True)
class Weights:
    """Points per criterion (domain.md 8.3). The defaults add up to 100; a project may set its own
    (``recruitment.models.ProjectWeights``), and a total other than 100 is scaled to 100 by the score."""

    occupation: float = 25
    essential_skills: float = 25
    languages: float = 15
    experience: float = 10
    qualification: float = 10
    optional_skills: float = 5
    timing: float = 5
    preferences: float = 5

    @property
    def total(self) -> float:
        return (
            self.occupation
            + self.essential_skills
            + self.languages
            + self.experience
            + self.qualification
            + self.optional_skills
            + self.timing
            + self.preferences
        )


WEIGHT_CRITERIA = tuple(f.name for f in fields(Weights))
"""The criteria, in the order of the breakdown: the field names of ``Weights``."""


class WeightsByProject(Mapping[int, Weights]):
    """Project id -> that project's weights: an immutable, hashable mapping that iterates and prints in
    id order, so that equal inputs give equal facts (and the same basis fingerprint) in every worker."""

    def __init__(self, items: Mapping[int, Weights] | Iterable[tuple[int, Weights]] = ()) -> None:
        self._items = dict(sorted(dict(items).items()))

    def __getitem__(self, project_id: int) -> Weights:
        return self._items[project_id]

    def get(self, project_id: int, default: Weights | None = None) -> Weights | None:  # type: ignore[override]
        return self._items.get(project_id, default)  # Mapping.get raises and catches KeyError: slow

    def __iter__(self) -> Iterator[int]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"WeightsByProject({self._items!r})"


@dataclass(frozen=True)
class ReferenceFacts:
    """The law and lists in force on the reference date (the planned permit application date), and the
    weights of the score: ``weights`` by default, ``weights_by_project`` for a candidate whose project set
    its own (the candidate's project decides, see ``weights_for``)."""

    reference_date: datetime.date
    thresholds: tuple[tuple[ThresholdCategory, Decimal], ...]  # Flemish thresholds valid on that date
    migration_list_occupation_ids: frozenset[int]  # ministerial medium-skilled list valid on that date
    vdab_list_occupation_ids: frozenset[int]  # VDAB knelpuntberoepenlijst valid on that date
    isced_to_vks: tuple[tuple[int, int, int], ...]  # (isced, vks_min, vks_max)
    weights: Weights = field(default_factory=Weights)
    weights_by_project: Mapping[int, Weights] = field(default_factory=WeightsByProject)
    # The thresholds and lists applied provisionally (none valid on the date; the latest published one
    # applies, reference.in_force): (threshold category or list kind, published from, published to),
    # ISO dates, "" for an open end. Shown with the reasons that used them; no influence on the outcome.
    provisional: tuple[tuple[str, str, str], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.weights_by_project, WeightsByProject):  # a plain dict given: freeze it
            object.__setattr__(self, "weights_by_project", WeightsByProject(self.weights_by_project))

    def threshold(self, category: ThresholdCategory) -> Decimal | None:
        return dict(self.thresholds).get(category)

    def provisional_period(self, part: str) -> str | None:
        """ "2026-01-01/2026-12-31" when ``part`` (a threshold category or list kind) is applied
        provisionally, else None."""
        for name, start, end in self.provisional:
            if name == part:
                return f"{start}/{end}"
        return None

    def weights_for(self, project_id: int | None) -> Weights:
        """The weights of a candidate of ``project_id``: the project's own, else the default (also for a
        candidate in no project)."""
        if project_id is None or not self.weights_by_project:
            return self.weights
        return self.weights_by_project.get(project_id) or self.weights
