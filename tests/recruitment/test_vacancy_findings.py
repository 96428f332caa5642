"""Every finding the pre-publication checker can make has a sentence: a missing one showed its raw key
(``reference.no_threshold``) on employers' vacancy pages in every language (issue 12, item 10)."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.utils import translation

import vacancies.checker
from recruitment.vacancy_findings import SENTENCES, finding_sentence
from vacancies.checker import Finding, Severity

CODE = re.compile(r"[a-z_]+\.[a-z_]+")


def _checker_codes() -> set[str]:
    """Every dotted string in the checker's source: the codes of the findings it makes."""
    tree = ast.parse(Path(vacancies.checker.__file__).read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value)
    }


def test_the_checker_codes_are_found() -> None:
    assert {"reference.no_threshold", "salary.below_threshold", "region.not_flanders"} <= _checker_codes()


def test_every_checker_finding_has_a_sentence() -> None:
    assert sorted(_checker_codes() - SENTENCES.keys()) == []


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_the_missing_threshold_is_said_per_route_in_each_language(language: str) -> None:
    day = datetime.date.today() + datetime.timedelta(days=400)  # computed when the test runs
    finding = Finding(
        "reference.no_threshold", Severity.WARNING, {"route": "eu_blue_card", "day": day.isoformat()}
    )
    with translation.override(language):
        sentence = finding_sentence(finding)
    assert not CODE.search(sentence), sentence  # no raw key left
    assert str(day.year) in sentence
