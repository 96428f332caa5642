"""The scoring criteria one by one (domain.md 8.3), with the shares they give."""

import copy
import dataclasses
import datetime

import pytest

from recruitment.matching.engine import evaluate_vacancy
from recruitment.matching.facts import WEIGHT_CRITERIA, Evidence, Recognition, Weights, WeightsByProject
from recruitment.matching.scoring import (
    score_essential_skills,
    score_experience,
    score_languages,
    score_match,
    score_occupation,
    score_optional_skills,
    score_preferences,
    score_qualification,
    score_timing,
)
from tests.recruitment.matching.both_paths import evaluate
from tests.recruitment.matching.builders import (
    ON_2026,
    aurora_nurse,
    candidate,
    diploma,
    flemish_reference,
    holds,
    nurse_vacancy,
    requires,
    speaks,
    welder,
    welder_vacancy,
    worked,
)
from tests.recruitment.matching.seed_data import occupation

FACTS = flemish_reference()
WELDER = occupation("welder")  # ISCO 7212


def _share(criterion_score: float, possible: float) -> float:
    return round(criterion_score / possible, 4)


@pytest.mark.parametrize(
    ("experiences", "desired", "desired_isco", "share", "code"),
    [
        ((worked("welder", 1),), frozenset(), frozenset(), 1.0, "occupation.occupation"),
        ((worked("industrial electrician", 1),), frozenset(), frozenset(), 0.0, "occupation.none"),  # 7411
        ((worked("sheet metal worker", 1),), frozenset(), frozenset(), 0.5, "occupation.minor_group"),  # 7213
        (
            (worked("industrial machinery mechanic", 1),),
            frozenset(),
            frozenset(),
            0.2,
            "occupation.sub_major_group",
        ),
        ((), frozenset({WELDER.id}), frozenset(), 0.8, "occupation.occupation"),
        ((), frozenset(), frozenset({"7213"}), 0.4, "occupation.minor_group"),
        (
            (worked("sheet metal worker", 1),),
            frozenset({WELDER.id}),
            frozenset(),
            0.8,
            "occupation.occupation",
        ),
        ((), frozenset(), frozenset(), 0.0, "occupation.none"),
    ],
)
def test_occupation_fit_through_the_isco_hierarchy(
    experiences: tuple[object, ...],
    desired: frozenset[int],
    desired_isco: frozenset[str],
    share: float,
    code: str,
) -> None:
    person = candidate(
        experiences=experiences, desired_occupation_ids=desired, desired_isco_codes=desired_isco
    )
    result = score_occupation(person, welder_vacancy(), FACTS)

    assert _share(result.earned, result.possible) == share
    assert result.reason.code == code


def test_same_unit_group_other_occupation_is_0_8() -> None:
    person = candidate(experiences=(worked("industrial electrician", 3),))
    vacancy = welder_vacancy(occupation_id=occupation("electrician").id, isco_code="7411")

    assert score_occupation(person, vacancy, FACTS).earned == 25 * 0.8


@pytest.mark.parametrize(("level", "share"), [("B1", 1.0), ("B2", 1.0), ("A2", 0.6), ("A1", 0.2), ("", 0.0)])
def test_language_credit_per_level_below_target(level: str, share: float) -> None:
    person = candidate(languages=(speaks("nl", level),) if level else ())
    vacancy = welder_vacancy(language_requirements=(requires("nl", "B1", mandatory=False),))

    result = score_languages(person, vacancy, FACTS)
    assert _share(result.earned, result.possible) == share


def test_languages_average_over_every_required_skill_of_every_requirement() -> None:
    person = candidate(languages=(speaks("nl", "A2"), speaks("en", "B2")))
    vacancy = welder_vacancy(
        language_requirements=(requires("nl", "B1", "", "", "", ""), requires("en", "B2"))
    )

    result = score_languages(person, vacancy, FACTS)
    assert _share(result.earned, result.possible) == round((0.6 + 5 * 1.0) / 6, 4)
    assert dict(result.reason.params)["skills_compared"] == 6


def test_no_language_requirement_gives_full_points() -> None:
    result = score_languages(candidate(), welder_vacancy(language_requirements=()), FACTS)

    assert result.earned == result.possible == 15
    assert result.reason.code == "languages.none_required"


@pytest.mark.parametrize(("years", "share"), [(0, 0.0), (1, 0.3333), (2, 0.6667), (3, 1.0), (10, 1.0)])
def test_experience_caps_at_150_percent_of_the_requirement(years: float, share: float) -> None:
    person = candidate(experiences=(worked("welder", years),) if years else ())

    result = score_experience(person, welder_vacancy(min_experience_years=2), FACTS)
    assert _share(result.earned, result.possible) == share


def test_experience_counts_the_whole_unit_group() -> None:
    person = candidate(experiences=(worked("electrician", 1), worked("industrial electrician", 2)))
    vacancy = welder_vacancy(
        occupation_id=occupation("electrician").id, isco_code="7411", min_experience_years=2
    )

    assert score_experience(person, vacancy, FACTS).earned == 10


def test_essential_skills_weighted_by_evidence() -> None:
    labels = ("MIG/MAG welding", "read technical drawings", "worksite safety (VCA)")
    person = candidate(
        skills=tuple(
            sorted(
                holds(labels[0])
                + holds(labels[1], evidence=Evidence.TRAINING_CERTIFICATE)
                + holds(labels[2], evidence=Evidence.SELF_DECLARED)
            )
        )
    )
    result = score_essential_skills(person, welder_vacancy(), FACTS)

    assert _share(result.earned, result.possible) == round((1.0 + 0.9 + 0.6) / 3, 4)
    assert dict(result.reason.params)["held"] == 3


def test_the_best_evidence_counts_when_a_skill_is_listed_twice() -> None:
    person = candidate(
        skills=tuple(
            sorted(holds("MIG/MAG welding") + holds("MIG/MAG welding", evidence=Evidence.SELF_DECLARED))
        )
    )

    assert score_essential_skills(person, welder_vacancy(), FACTS).earned == round(25 / 3, 4)


def test_no_skills_required_gives_full_points() -> None:
    vacancy = welder_vacancy(essential_skill_ids=frozenset(), optional_skill_ids=frozenset())

    assert score_essential_skills(candidate(), vacancy, FACTS).earned == 25
    assert score_optional_skills(candidate(), vacancy, FACTS).earned == 5


@pytest.mark.parametrize(
    ("isced", "recognition", "share"),
    [
        (7, Recognition.NOT_REQUESTED, 0.5),
        (7, Recognition.REQUESTED, 0.75),
        (7, Recognition.PARTIAL, 0.75),
        (7, Recognition.LEVEL_EQUIVALENCE, 1.0),
        (7, Recognition.FULL_EQUIVALENCE, 1.0),
        (7, Recognition.REFUSED, 0.5),
        (3, Recognition.FULL_EQUIVALENCE, 0.5),
        (3, Recognition.REQUESTED, 0.25),
    ],
)
def test_qualification_level_and_recognition(isced: int, recognition: Recognition, share: float) -> None:
    person = candidate(diplomas=(diploma(isced, recognition=recognition),))

    result = score_qualification(person, welder_vacancy(min_isced_level=6), FACTS)
    assert _share(result.earned, result.possible) == share


def test_qualification_without_minimum_and_without_diploma_is_half() -> None:
    result = score_qualification(candidate(), welder_vacancy(min_isced_level=None), FACTS)

    assert result.earned == 5


@pytest.mark.parametrize(
    ("available_days", "start_days", "training", "share"),
    [
        (0, 30, False, 0.8),
        (0, 30, True, 1.0),
        (120, 30, False, 0.4),  # 90 days late: half of the availability part
        (210, 30, True, 0.2),  # 180 days late: availability part gone
        (None, 30, False, 0.4),  # unknown availability: neutral
        (400, None, False, 0.8),  # no start date
    ],
)
def test_timing(available_days: int | None, start_days: int | None, training: bool, share: float) -> None:
    def day(offset: int | None) -> datetime.date | None:
        return None if offset is None else ON_2026 + datetime.timedelta(days=offset)

    person = candidate(available_from=day(available_days), training_completed=training)
    result = score_timing(person, welder_vacancy(start_date=day(start_days)), FACTS)
    assert _share(result.earned, result.possible) == share


@pytest.mark.parametrize(
    ("desired", "regions", "share"),
    [
        (frozenset({WELDER.id}), frozenset({"VLG"}), 1.0),
        (frozenset(), frozenset(), 0.5),
        (frozenset({occupation("baker").id}), frozenset({"BRU"}), 0.0),
        (frozenset(), frozenset({"BE"}), 0.75),
    ],
)
def test_preferences(desired: frozenset[int], regions: frozenset[str], share: float) -> None:
    person = candidate(desired_occupation_ids=desired, preferred_regions=regions)

    result = score_preferences(person, welder_vacancy(), FACTS)
    assert _share(result.earned, result.possible) == share


def test_score_is_the_sum_of_points_earned() -> None:
    score, breakdown = score_match(welder(), welder_vacancy(), FACTS)

    assert score == round(sum(c.earned for c in breakdown), 2)
    assert sum(c.possible for c in breakdown) == 100
    assert (
        [c.code for c in breakdown]
        == list(WEIGHT_CRITERIA)
        == [
            "occupation",
            "essential_skills",
            "languages",
            "experience",
            "qualification",
            "optional_skills",
            "timing",
            "preferences",
        ]
    )


def test_weights_of_another_total_are_scaled_to_100() -> None:
    doubled = Weights(**{f.name: 2 * getattr(Weights(), f.name) for f in dataclasses.fields(Weights)})
    facts = dataclasses.replace(FACTS, weights=doubled)

    assert (
        score_match(welder(), welder_vacancy(), facts)[0] == score_match(welder(), welder_vacancy(), FACTS)[0]
    )


def test_project_weights_change_the_points() -> None:
    language_heavy = Weights(occupation=20, essential_skills=20, languages=30, experience=10, qualification=5,
                             optional_skills=5, timing=5, preferences=5)  # fmt: skip
    facts = dataclasses.replace(FACTS, weights=language_heavy)
    result = evaluate(welder("A2"), welder_vacancy(), facts)

    languages = next(c for c in result.breakdown if c.code == "languages")
    assert languages.possible == 30


def test_breakdown_never_mentions_nationality_or_age() -> None:
    result = evaluate(welder(), welder_vacancy(), FACTS)
    names = {name for c in result.breakdown for name, _value in c.reason.params}

    assert result.breakdown
    assert not names & {"nationality", "nationalities", "age", "date_of_birth", "gender"}


# --- Weights per project: the candidate's project decides -------------------------------------------------

AURORA, PALIM = 1, 2  # project ids
RECOGNITION_FIRST = Weights(occupation=15, essential_skills=20, languages=20, experience=5, qualification=25,
                            optional_skills=5, timing=5, preferences=5)  # fmt: skip


def test_a_projects_weights_change_the_scores_of_its_candidates_only() -> None:
    facts = flemish_reference(weights_by_project={AURORA: RECOGNITION_FIRST})
    nurse = aurora_nurse()
    default = evaluate(nurse, nurse_vacancy(), FACTS)
    in_aurora = evaluate(dataclasses.replace(nurse, project_id=AURORA), nurse_vacancy(), facts)
    in_palim = evaluate(dataclasses.replace(nurse, project_id=PALIM), nurse_vacancy(), facts)
    in_none = evaluate(nurse, nurse_vacancy(), facts)

    assert default.score == 93.27  # docs/matching.md, worked example
    assert in_palim == in_none == default
    assert in_aurora.score != default.score
    assert (in_aurora.outcome, in_aurora.reasons, in_aurora.routes) == (
        default.outcome,
        default.reasons,
        default.routes,
    )  # weights change points, never the gate
    assert [c.possible for c in in_aurora.breakdown] == [
        getattr(RECOGNITION_FIRST, n) for n in WEIGHT_CRITERIA
    ]
    assert [c.reason for c in in_aurora.breakdown] == [c.reason for c in default.breakdown]  # same shares
    # Qualification 0.75 (level 0.5 + recognition requested 0.25) is worth 18.75 of 25 instead of 7.5 of 10.
    assert next(c.earned for c in in_aurora.breakdown if c.code == "qualification") == 18.75
    assert in_aurora.score == round(sum(c.earned for c in in_aurora.breakdown), 2) == 89.59


def test_the_default_weights_apply_to_a_project_without_weights_of_its_own() -> None:
    facts = flemish_reference(weights_by_project={AURORA: RECOGNITION_FIRST})
    welder_in_palim = dataclasses.replace(welder(), project_id=PALIM)

    assert facts.weights_for(PALIM) == facts.weights_for(None) == Weights()
    assert facts.weights_for(AURORA) == RECOGNITION_FIRST
    assert evaluate(welder_in_palim, welder_vacancy(), facts) == evaluate(welder(), welder_vacancy(), FACTS)


def test_one_vacancy_ranks_candidates_scored_with_their_own_projects_weights() -> None:
    """Two identical nurses, one in a project that weighs languages most: she ranks first, only because
    her Dutch (at the target) weighs more there. Each breakdown shows the weights used."""
    language_first = Weights(occupation=10, essential_skills=10, languages=60, experience=5, qualification=5,
                             optional_skills=0, timing=5, preferences=5)  # fmt: skip
    facts = flemish_reference(weights_by_project={AURORA: language_first})
    plain = aurora_nurse(candidate_id=40)
    aurora = dataclasses.replace(aurora_nurse(candidate_id=41), project_id=AURORA)

    ranked = evaluate_vacancy(nurse_vacancy(), [plain, aurora], facts)

    assert [r.candidate_id for r in ranked] == [41, 40]  # Dutch B1 meets the target: languages weigh 60
    assert {c.code: c.possible for c in ranked[0].breakdown}["languages"] == 60
    assert {c.code: c.possible for c in ranked[1].breakdown}["languages"] == 15


def test_weights_by_project_are_frozen_and_compare_by_content() -> None:
    facts = flemish_reference(weights_by_project={PALIM: Weights(), AURORA: RECOGNITION_FIRST})

    assert isinstance(facts.weights_by_project, WeightsByProject)
    assert list(facts.weights_by_project) == [AURORA, PALIM]  # id order, whatever the order given
    assert (
        facts
        == copy.deepcopy(facts)
        == flemish_reference(weights_by_project={AURORA: RECOGNITION_FIRST, PALIM: Weights()})
    )
    assert hash(facts.weights_by_project) == hash(copy.deepcopy(facts.weights_by_project))
    with pytest.raises(TypeError):
        facts.weights_by_project[3] = Weights()  # type: ignore[index]
