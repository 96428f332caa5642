"""What the recompute keeps beside the matches for the pages to read:

- the vacancy page's filter values (``VacancyMatchFacet``, ``recruitment.services.match_facets``): exact
  after a vacancy's full recompute, extended by a candidate's recompute, never missing a value a listed
  match has;
- each vacancy's counts of eligible matches and near-misses (``VacancyMatchCount``): equal to its rows
  after either path writes.
"""

from typing import Any

import pytest

from candidates.models import Candidate, LanguageProficiency
from candidates.services import candidate_profile_changed, candidate_withdraw
from recruitment.models import Match, VacancyMatchCount, VacancyMatchFacet
from recruitment.selectors import vacancy_match_filter_choices
from tests import factories
from tests.recruitment import test_match_changed_at as changed_at
from tests.recruitment.world import World, welder_candidate
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

# The scene of the changed_at tests: a welder vacancy matched with three candidates.
commit = changed_at.commit
published = changed_at.published
rerun_vacancy = changed_at.rerun_vacancy


def facets(vacancy: Vacancy) -> set[tuple[str, str]]:
    return set(VacancyMatchFacet.objects.filter(vacancy=vacancy).values_list("kind", "value"))


def expected(vacancy: Vacancy) -> set[tuple[str, str]]:
    """The values of the candidates the vacancy's stored matches list, read the slow way."""
    values: set[tuple[str, str]] = set()
    for candidate in Candidate.objects.filter(matches__vacancy=vacancy):
        if candidate.project_id is not None:
            values.add(("project", str(candidate.project_id)))
        if candidate.cohort_id is not None:
            values.add(("cohort", str(candidate.cohort_id)))
        if candidate.country_of_residence:
            values.add(("country", candidate.country_of_residence))
    return values


def test_a_full_recompute_writes_exactly_the_values_of_its_matches(
    published: tuple[World, Vacancy, list[Candidate]],
) -> None:
    _world, vacancy, _candidates = published
    assert facets(vacancy) and facets(vacancy) == expected(vacancy)
    VacancyMatchFacet.objects.create(vacancy=vacancy, kind="country", value="ZZ")  # a value gone since
    rerun_vacancy(vacancy)
    assert facets(vacancy) == expected(vacancy)


def test_a_candidates_recompute_adds_its_new_values(
    published: tuple[World, Vacancy, list[Candidate]], commit: Any
) -> None:
    _world, vacancy, (b1, _a2, _shorter) = published
    cohort = factories.CohortFactory.create(name="Wave 9")
    with commit():
        Candidate.objects.filter(pk=b1.pk).update(
            cohort=cohort, project=cohort.project, country_of_residence="SN"
        )
        candidate_profile_changed(b1.pk)
    assert Match.objects.filter(vacancy=vacancy, candidate=b1).exists()
    assert {("cohort", str(cohort.pk)), ("project", str(cohort.project_id)), ("country", "SN")} <= facets(
        vacancy
    )
    projects, cohorts, countries = vacancy_match_filter_choices(vacancy)
    assert cohort in cohorts and cohort.project in projects and "SN" in countries


def counted(vacancy: Vacancy) -> tuple[int, int]:
    row = VacancyMatchCount.objects.filter(vacancy=vacancy).first()
    return (row.eligible, row.conditional) if row else (0, 0)


def rows(vacancy: Vacancy) -> tuple[int, int]:
    matches = Match.objects.filter(vacancy=vacancy)
    return matches.filter(outcome="eligible").count(), matches.filter(outcome="conditional").count()


def test_the_counts_follow_the_rows_on_both_write_paths(
    published: tuple[World, Vacancy, list[Candidate]], commit: Any
) -> None:
    world, vacancy, (b1, a2, _shorter) = published
    assert counted(vacancy) == rows(vacancy) == (2, 1)
    with commit():  # a new candidate's recompute adds a row
        welder_candidate(world)
    assert counted(vacancy) == rows(vacancy) == (3, 1)
    with commit():  # an outcome change: the near-miss becomes eligible
        LanguageProficiency.objects.filter(candidate=a2).update(
            listening="B1", reading="B1", spoken_interaction="B1", spoken_production="B1", writing="B1"
        )
        candidate_profile_changed(a2.pk)
    assert counted(vacancy) == rows(vacancy) == (4, 0)
    with commit():  # a removal
        candidate_withdraw(candidate=Candidate.objects.get(pk=b1.pk))
    assert counted(vacancy) == rows(vacancy) == (3, 0)
    VacancyMatchCount.objects.filter(vacancy=vacancy).update(eligible=99)  # drift (a cascade, say)
    rerun_vacancy(vacancy)
    assert counted(vacancy) == rows(vacancy) == (3, 0)
