"""Properties of the matching core over generated profiles (Hypothesis): bounds, determinism, monotonicity,
and that nationality and age (beyond the legal under-30 threshold) never change a result (domain.md 8.3).
Every property holds under any project's weights: scenarios put the candidate in a project (or none) and
draw that project's weights, and another project's weights never change the result.

Scenarios start from the real situations of ``builders`` (so that many pairs are eligible or conditional
and the properties are not vacuous) and vary nearly every field of the candidate and the vacancy.
"""

import copy
import dataclasses
import datetime
from collections.abc import Callable
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment.matching.derived import age_on
from recruitment.matching.facts import (
    WEIGHT_CRITERIA,
    CandidateFacts,
    DiplomaFacts,
    Evidence,
    LanguageCourse,
    LanguageLevels,
    LanguageRequirement,
    Recognition,
    ReferenceFacts,
    VacancyFacts,
    Weights,
)
from recruitment.matching.results import MatchResult, Outcome
from tests.recruitment.matching import builders as b
from tests.recruitment.matching import seed_data
from tests.recruitment.matching.both_paths import evaluate

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)
NON_EU = ("MA", "TN", "IN", "PH", "NG", "SN", "JO", "LB", "PK", "EG", "BD", "UA", "TR")
LANGUAGES = ("nl", "en", "fr")
FACTS = {on: b.flemish_reference(on) for on in (datetime.date(2024, 6, 1), b.ON_2025, b.ON_2026)}
BASES: tuple[tuple[Callable[[], CandidateFacts], Callable[[], VacancyFacts]], ...] = (
    (b.welder, b.welder_vacancy),
    (b.aurora_nurse, b.nurse_vacancy),
    (b.aurora_nurse, b.care_assistant_vacancy),
    (b.palim_ict_graduate, b.software_developer_vacancy),
    (b.truck_driver, b.truck_driver_vacancy),
    (b.electrician, b.electrician_vacancy),
)
SKILL_POOL = sorted(set(seed_data.skill_ids().values()))
OCCUPATION_LABELS = sorted(seed_data.occupations())
RANK = {Outcome.INELIGIBLE: 0, Outcome.CONDITIONAL: 1, Outcome.ELIGIBLE: 2}
PROJECTS = (1, 2, 3)  # ids; a candidate is in one of them or in none

levels = st.tuples(*[st.integers(0, 6)] * 5)
rarely = st.integers(1, 20).map(lambda n: n == 7)  # not 0: Hypothesis favours boundary values
days = st.integers(-200, 400).map(lambda n: b.ON_2026 + datetime.timedelta(days=n))


def _language_levels(language: str) -> st.SearchStrategy[LanguageLevels]:
    return levels.map(lambda lv: LanguageLevels(language, lv))


diplomas = st.builds(
    DiplomaFacts,
    isced_level=st.integers(1, 8),
    duration_years=st.none() | st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0]),
    state_recognised=st.booleans(),
    private_institution=st.booleans(),
    field=st.sampled_from(["", "0913", "0613", "0715", "0716"]),
    recognition=st.sampled_from(list(Recognition)),
    recognised_isced_level=st.none() | st.integers(1, 8),
    licence_to_practise=st.booleans(),
    recognition_concerns_nursing=st.booleans(),
)
experiences = st.builds(b.worked, st.sampled_from(OCCUPATION_LABELS), st.floats(0, 15, allow_nan=False))
courses = st.builds(
    LanguageCourse, st.sampled_from(LANGUAGES), st.integers(1, 6), st.none() | days, st.booleans()
)
skills = st.dictionaries(st.sampled_from(SKILL_POOL), st.sampled_from(list(Evidence)), max_size=12).map(
    lambda d: tuple(sorted(d.items()))
)
requirements = st.builds(LanguageRequirement, st.sampled_from(LANGUAGES), levels, st.booleans())
# A project's weights as ProjectWeights allows them: whole numbers 0..100, not all 0.
project_weights = st.builds(Weights, **{name: st.integers(0, 100) for name in WEIGHT_CRITERIA}).filter(
    lambda w: w.total > 0
)
weights_by_project = st.dictionaries(st.sampled_from(PROJECTS), project_weights, max_size=3)


def _born(age: int, offset: int, on: datetime.date) -> datetime.date:
    """Born ``age`` years and ``offset`` days (< one year) before ``on``."""
    return on.replace(year=on.year - age) - datetime.timedelta(days=offset)


@st.composite
def candidates(draw: st.DrawFn, base: CandidateFacts, on: datetime.date) -> CandidateFacts:
    keep = st.integers(1, 3).map(lambda n: n != 2)  # keep the base field two times out of three
    changes: dict[str, object] = {
        "nationalities": draw(st.frozensets(st.sampled_from(NON_EU), min_size=1, max_size=2)),
        "date_of_birth": _born(draw(st.integers(18, 65)), draw(st.integers(0, 360)), on),
        "in_belgium": draw(rarely),
        "training_completed": draw(st.booleans()),
        "available_from": draw(st.none() | days),
        "accepts_entry_role_during_recognition": draw(st.booleans()),
        "preferred_regions": draw(st.frozensets(st.sampled_from(["VLG", "BRU", "BE"]))),
    }
    if not draw(keep):
        chosen = draw(st.lists(st.sampled_from(LANGUAGES), unique=True, max_size=3))
        changes["languages"] = tuple(draw(_language_levels(language)) for language in chosen)
    if not draw(keep):
        changes["language_courses"] = tuple(draw(st.lists(courses, max_size=2)))
    if not draw(keep):
        changes["diplomas"] = tuple(draw(st.lists(diplomas, max_size=2)))
    if not draw(keep):
        changes["experiences"] = base.experiences + tuple(draw(st.lists(experiences, max_size=2)))
    if not draw(keep):
        changes["skills"] = draw(skills)
    if not draw(keep):
        changes["licences"] = draw(st.frozensets(st.sampled_from(["driving_ce", "driving_c", "code_95"])))
    if not draw(keep):
        changes["consented_employer_ids"] = frozenset()
    if not draw(keep):
        ids = [seed_data.occupation(label).id for label in OCCUPATION_LABELS]
        changes["desired_occupation_ids"] = draw(st.frozensets(st.sampled_from(ids), max_size=3))
        changes["desired_isco_codes"] = draw(st.frozensets(st.sampled_from(["2221", "5321", "7212", "8332"])))
    changes["has_unrepaid_candidate_paid_cost"] = draw(rarely)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@st.composite
def vacancies(draw: st.DrawFn, base: VacancyFacts) -> VacancyFacts:
    keep = st.booleans()
    factor = draw(st.sampled_from(["0.8", "1", "1.1", "1.3", "1.6"]))
    changes: dict[str, object] = {
        "annual_salary_eur": (base.annual_salary_eur * Decimal(factor)).quantize(Decimal("0.01")),
        "min_experience_years": draw(st.sampled_from([0, 0.5, 1, 2, 5])),
        "start_date": draw(st.none() | days),
        "pay_category": draw(st.sampled_from(["skilled", "skilled", "highly_skilled", "", "semi_skilled"])),
        "employer_suspended": draw(rarely),
        "min_isced_level": draw(st.none() | st.integers(2, 7)),
    }
    if not draw(keep):
        changes["language_requirements"] = tuple(draw(st.lists(requirements, max_size=2)))
    if not draw(keep):
        pool = st.sampled_from(SKILL_POOL)
        changes["essential_skill_ids"] = draw(st.frozensets(pool, max_size=6))
        changes["optional_skill_ids"] = draw(st.frozensets(pool, max_size=4))
    if not draw(keep):
        published = st.none() | st.integers(0, 200).map(lambda n: b.ON_2026 - datetime.timedelta(days=n))
        changes["vdab_published_on"] = draw(published)
        changes["eures_published_on"] = draw(published)
    if not draw(keep):
        changes["contract_type"] = "fixed_term"
        changes["contract_months"] = draw(st.none() | st.integers(1, 36))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[CandidateFacts, VacancyFacts, ReferenceFacts]:
    make_candidate, make_vacancy = draw(st.sampled_from(BASES))
    on = draw(st.sampled_from(sorted(FACTS)))
    candidate = draw(candidates(make_candidate(), on))
    candidate = dataclasses.replace(candidate, project_id=draw(st.none() | st.sampled_from(PROJECTS)))
    facts = dataclasses.replace(FACTS[on], weights_by_project=draw(weights_by_project))
    return candidate, draw(vacancies(make_vacancy())), facts


def _not_worse(before: MatchResult, after: MatchResult) -> None:
    assert RANK[after.outcome] >= RANK[before.outcome]
    if before.score is not None:
        assert after.score is not None
        assert after.score >= before.score


@PROPERTY_SETTINGS
@given(scenarios())
def test_score_lies_within_0_and_100(scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts]) -> None:
    result = evaluate(*scenario)

    if result.score is not None:
        assert 0 <= result.score <= 100
        assert all(0 <= c.earned <= c.possible for c in result.breakdown)


@PROPERTY_SETTINGS
@given(scenarios())
def test_ineligible_if_and_only_if_no_score(
    scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts],
) -> None:
    result = evaluate(*scenario)

    assert (result.outcome is Outcome.INELIGIBLE) == (result.score is None)
    assert (result.score is None) == (result.breakdown == ())
    if result.outcome is Outcome.CONDITIONAL:
        assert result.reasons and all(r.closable for r in result.reasons)
    if result.outcome is Outcome.ELIGIBLE:
        assert result.reasons == ()


@PROPERTY_SETTINGS
@given(scenarios())
def test_deterministic(scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts]) -> None:
    assert evaluate(*scenario) == evaluate(*copy.deepcopy(scenario)) == evaluate(*scenario)


@PROPERTY_SETTINGS
@given(scenarios(), st.sampled_from(LANGUAGES), st.integers(0, 4))
def test_raising_one_language_level_never_lowers_the_score(
    scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts], language: str, skill: int
) -> None:
    candidate, vacancy, facts = scenario
    entries = list(candidate.languages)
    index = next((i for i, entry in enumerate(entries) if entry.language == language), None)
    current = entries[index].levels if index is not None else (0, 0, 0, 0, 0)
    if current[skill] == 6:
        return  # C2 cannot be raised
    raised = list(current)
    raised[skill] += 1
    entry = LanguageLevels(language, (raised[0], raised[1], raised[2], raised[3], raised[4]))
    if index is None:
        entries.append(entry)
    else:
        entries[index] = entry
    better = dataclasses.replace(candidate, languages=tuple(entries))

    _not_worse(evaluate(candidate, vacancy, facts), evaluate(better, vacancy, facts))


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_adding_an_essential_skill_never_lowers_the_score(
    scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts], data: st.DataObject
) -> None:
    candidate, vacancy, facts = scenario
    held = {skill_id for skill_id, _evidence in candidate.skills}
    missing = sorted(vacancy.essential_skill_ids - held)
    if not missing:
        return
    skill_id = data.draw(st.sampled_from(missing))
    evidence = data.draw(st.sampled_from(list(Evidence)))
    better = dataclasses.replace(candidate, skills=tuple(sorted((*candidate.skills, (skill_id, evidence)))))

    _not_worse(evaluate(candidate, vacancy, facts), evaluate(better, vacancy, facts))


@PROPERTY_SETTINGS
@given(scenarios(), st.frozensets(st.sampled_from(NON_EU), min_size=1, max_size=3))
def test_nationality_never_changes_a_result(
    scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts], nationalities: frozenset[str]
) -> None:
    candidate, vacancy, facts = scenario
    other = dataclasses.replace(candidate, nationalities=nationalities)

    assert evaluate(other, vacancy, facts) == evaluate(candidate, vacancy, facts)


@PROPERTY_SETTINGS
@given(
    scenarios(),
    st.booleans(),
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 360),
    st.integers(0, 360),
)
def test_age_on_the_same_side_of_30_never_changes_a_result(
    scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts],
    under_30: bool,
    years_a: int,
    years_b: int,
    offset_a: int,
    offset_b: int,
) -> None:
    candidate, vacancy, facts = scenario
    on = facts.reference_date
    low, span = (18, 12) if under_30 else (30, 41)
    born_a = _born(low + years_a % span, offset_a, on)
    born_b = _born(low + years_b % span, offset_b, on)
    assert (age_on(born_a, on) < 30) == (age_on(born_b, on) < 30) == under_30
    first = dataclasses.replace(candidate, date_of_birth=born_a)
    second = dataclasses.replace(candidate, date_of_birth=born_b)

    assert evaluate(first, vacancy, facts) == evaluate(second, vacancy, facts)


@PROPERTY_SETTINGS
@given(scenarios(), project_weights)
def test_another_projects_weights_never_change_a_result(
    scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts], weights: Weights
) -> None:
    candidate, vacancy, facts = scenario
    others = [p for p in PROJECTS if p != candidate.project_id]
    changed = dict(facts.weights_by_project) | dict.fromkeys(others, weights)
    other_facts = dataclasses.replace(facts, weights_by_project=changed)

    assert evaluate(candidate, vacancy, other_facts) == evaluate(candidate, vacancy, facts)


@PROPERTY_SETTINGS
@given(scenarios())
def test_a_project_without_weights_of_its_own_scores_with_the_default(
    scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts],
) -> None:
    candidate, vacancy, facts = scenario
    without = {p: w for p, w in facts.weights_by_project.items() if p != candidate.project_id}
    facts = dataclasses.replace(facts, weights_by_project=without)
    in_no_project = dataclasses.replace(candidate, project_id=None)

    assert evaluate(candidate, vacancy, facts) == evaluate(in_no_project, vacancy, facts)
    if candidate.project_id is not None:
        assert facts.weights_for(candidate.project_id) == facts.weights


@PROPERTY_SETTINGS
@given(scenarios())
def test_weights_change_points_never_the_outcome(
    scenario: tuple[CandidateFacts, VacancyFacts, ReferenceFacts],
) -> None:
    candidate, vacancy, facts = scenario
    default = evaluate(candidate, vacancy, dataclasses.replace(facts, weights_by_project={}))
    result = evaluate(candidate, vacancy, facts)

    assert (result.outcome, result.reasons, result.routes) == (
        default.outcome,
        default.reasons,
        default.routes,
    )
    assert [c.reason for c in result.breakdown] == [c.reason for c in default.breakdown]
    weights = facts.weights_for(candidate.project_id)
    if result.breakdown:  # ineligible pairs are not scored
        assert [c.possible for c in result.breakdown] == [float(getattr(weights, n)) for n in WEIGHT_CRITERIA]
