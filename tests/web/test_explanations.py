"""Every reason code the matching core can produce reads as a sentence, in each language."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from recruitment.explanations import READER_SENTENCES, SENTENCES, reason_sentence, route_label

MATCHING = Path(__file__).resolve().parents[2] / "recruitment" / "matching"
PREFIXES = (
    "scope|relevance|fair_recruitment|employer|route|recognition|language|licence|consent|availability"
    "|occupation|essential_skills|optional_skills|languages|experience|qualification|timing|preferences"
)
# Codes built from parts in the core (f"occupation.{fit.level}", f"{kind}.coverage", ...).
BUILT = {
    "occupation.occupation",
    "occupation.unit_group",
    "occupation.minor_group",
    "occupation.sub_major_group",
    "occupation.none",
    "essential_skills.coverage",
    "essential_skills.none_required",
    "optional_skills.coverage",
    "optional_skills.none_required",
}


def _codes_in_the_core() -> set[str]:
    codes = set()
    for source in MATCHING.glob("*.py"):
        codes |= set(re.findall(rf'"((?:{PREFIXES})\.[a-z_]+(?:\.[a-z_0-9]+)*)"', source.read_text()))
    return codes | BUILT


def test_the_core_still_produces_codes_this_test_finds() -> None:
    assert {"route.medium.passed", "language.below_minimum", "timing.readiness"} <= _codes_in_the_core()


@pytest.mark.parametrize("code", sorted(_codes_in_the_core()))
def test_every_code_has_a_sentence(code: str) -> None:
    assert code in SENTENCES or code in READER_SENTENCES


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("code", sorted(set(SENTENCES) | set(READER_SENTENCES)))
def test_a_sentence_renders_without_its_values_too(code: str, language: str) -> None:
    with translation.override(language):
        for audience in ("staff", "employer"):
            sentence = reason_sentence({"code": code, "params": {}}, audience=audience)
            assert sentence and sentence != code


def test_amounts_and_dates_follow_the_language() -> None:
    reason = {
        "code": "route.blue_card.salary_below_threshold",
        "params": {"salary": "48912.00", "threshold": "63586.00"},
    }
    with translation.override("nl"):
        assert "€ 48.912,00" in reason_sentence(reason)
    with translation.override("en"):
        assert "€ 48,912.00" in reason_sentence(reason)
    with translation.override("fr"):  # the symbol after the figures, held to them by a no-break space
        assert "48\u00a0912,00\u00a0€" in reason_sentence(reason)


def test_an_employer_is_not_told_which_threshold_applies() -> None:
    passed = {
        "code": "route.highly_skilled.passed",
        "params": {
            "salary": "45000.00",
            "threshold": "39129.60",
            "threshold_category": "highly_skilled_reduced",
            "reduced_basis": "under_30",
        },
    }
    with translation.override("en"):
        assert "under 30" in reason_sentence(passed)
        employer = reason_sentence(passed, audience="employer")
    assert "30" not in employer and "39" not in employer


def test_an_unknown_code_shows_as_itself() -> None:
    assert reason_sentence({"code": "future.rule", "params": {"x": 1}}) == "future.rule"
    assert route_label("future_route") == "future_route"


def test_a_language_gap_says_how_it_closes_a_course_or_an_estimate_of_the_study() -> None:
    gap = {"language": "nl", "skill": "listening", "required": "B1", "actual": "A1"}
    with translation.override("en"):
        estimate = reason_sentence({"code": "language.below_minimum", "params": {**gap, "study_months": 8}})
        course = reason_sentence({"code": "language.below_minimum", "params": {**gap, "course_target": "B1"}})
    assert "about 8 months of study" in estimate
    assert "A course to B1 is under way" in course and "months" not in course
