"""The pools read from the database: who is in a vacancy's and a cohort's pool, what each stage counts,
age bands computed on the day of the query, and a query count that does not grow with the pool."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate
from fairness.method import Cell, age_band
from fairness.selectors import cohort_cells, vacancy_cells
from projects.models import FunnelStep
from recruitment.models import Match, RetainedFunnelStep
from recruitment.workflow import Stage
from tests import factories
from tests.fairness.helpers import candidate, case, eligible, years_ago

pytestmark = pytest.mark.django_db


def _by(cells: list[Cell], dimension: str) -> dict[str, tuple[int, int, int, int]]:
    sums: dict[str, list[int]] = {}
    for cell in cells:
        row = sums.setdefault(getattr(cell, dimension), [0, 0, 0, 0])
        for index, value in enumerate((cell.pool, cell.shortlisted, cell.proposed, cell.hired)):
            row[index] += value
    return {group: (row[0], row[1], row[2], row[3]) for group, row in sums.items()}


def test_a_vacancys_pool_is_its_eligible_matches_and_its_cases() -> None:
    vacancy = factories.VacancyFactory.create()
    other = factories.VacancyFactory.create()
    hired = candidate(sex="female", nationalities=["MA", "FR"])
    eligible(vacancy, hired)
    case(vacancy, hired, Stage.OFFER_ACCEPTED)
    proposed = candidate(sex="male", nationalities=["TN"])
    eligible(vacancy, proposed)
    case(vacancy, proposed, Stage.INTERVIEW)
    # A near-miss on the shortlist is in the pool (through its case); one without a case is not.
    near_miss = candidate(sex="x", nationalities=["IN"])
    eligible(vacancy, near_miss, Match.Outcome.CONDITIONAL)
    case(vacancy, near_miss)
    eligible(vacancy, candidate(sex="female", nationalities=["PH"]), Match.Outcome.CONDITIONAL)
    # Only eligible, not selected.
    eligible(vacancy, candidate(sex="", nationalities=[]))
    # A case for another vacancy counts nowhere here.
    elsewhere = candidate(sex="female", nationalities=["MA"])
    eligible(vacancy, elsewhere)
    case(other, elsewhere, Stage.OFFER_ACCEPTED)
    # Restricted and anonymised candidates are never counted.
    for status in (Candidate.Status.RESTRICTED, Candidate.Status.ANONYMISED):
        left_out = candidate(sex="male", status=status, restricted_at=timezone.now())
        eligible(vacancy, left_out)
        case(vacancy, left_out, Stage.OFFER_ACCEPTED)

    cells = vacancy_cells(vacancy=vacancy, on=timezone.localdate())

    assert _by(cells, "sex") == {
        "female": (2, 1, 1, 1),
        "male": (1, 1, 1, 0),
        "x": (1, 1, 0, 0),
        "": (1, 0, 0, 0),
    }
    # Grouped by the first nationality listed; none recorded is its own group.
    assert _by(cells, "nationality") == {
        "MA": (2, 1, 1, 1),
        "TN": (1, 1, 1, 0),
        "IN": (1, 1, 0, 0),
        "": (1, 0, 0, 0),
    }


def test_a_cohorts_pool_is_its_candidates_with_their_cases_anywhere_and_their_retained_steps() -> None:
    cohort = factories.CohortFactory.create()
    other_cohort = factories.CohortFactory.create(project=cohort.project)
    vacancy, another = factories.VacancyFactory.create_batch(2)
    in_cohort = {"project": cohort.project, "cohort": cohort}
    hired = candidate(sex="female", **in_cohort)
    case(vacancy, hired, Stage.PROPOSED)
    case(another, hired, Stage.OFFER_ACCEPTED)  # hired through another vacancy: counted once
    candidate(sex="female", **in_cohort)  # registered, never selected
    # A case pruned after an accepted offer and a permit application left its steps behind.
    pruned = candidate(sex="male", **in_cohort)
    for step in (FunnelStep.PROPOSED, FunnelStep.OFFERED, FunnelStep.PERMIT_FILED):
        RetainedFunnelStep.objects.create(candidate=pruned, step=step, recorded_at=timezone.now())
    # Another cohort of the same project.
    case(vacancy, candidate(sex="x", project=cohort.project, cohort=other_cohort), Stage.OFFER_ACCEPTED)

    cells = cohort_cells(project=cohort.project, cohort=cohort, on=timezone.localdate())
    assert _by(cells, "sex") == {"female": (2, 1, 1, 1), "male": (1, 1, 1, 1)}
    whole = cohort_cells(project=cohort.project, cohort=None, on=timezone.localdate())
    assert _by(whole, "sex") == {"female": (2, 1, 1, 1), "male": (1, 1, 1, 1), "x": (1, 1, 1, 1)}


def test_age_bands_are_computed_on_the_day_asked() -> None:
    vacancy = factories.VacancyFactory.create()
    today = timezone.localdate()
    births = {
        "turns 25 today": years_ago(25),
        "turns 25 tomorrow": years_ago(25, days=-1),
        "34": years_ago(35, days=-1),
        "35 today": years_ago(35),
        "55": years_ago(55),
        "54": years_ago(55, days=-1),
    }
    for born in births.values():
        eligible(vacancy, candidate(date_of_birth=born))

    by_band = _by(vacancy_cells(vacancy=vacancy, on=today), "age_band")
    # The database's bands are the method's bands of each date of birth on that day.
    expected: dict[str, int] = {}
    for born in births.values():
        expected[age_band(born, today)] = expected.get(age_band(born, today), 0) + 1
    assert {band: sums[0] for band, sums in by_band.items()} == expected
    assert expected == {"under_25": 1, "25_34": 2, "35_44": 1, "45_54": 1, "55_plus": 1}
    # A year later everybody moved on: the bands follow the day, nothing is stored.
    later = today.replace(year=today.year + 1) if (today.month, today.day) != (2, 29) else today
    by_band_later = _by(vacancy_cells(vacancy=vacancy, on=later), "age_band")
    assert {band: sums[0] for band, sums in by_band_later.items()} == {"25_34": 2, "35_44": 2, "55_plus": 2}


def _pool_of(size: int) -> Any:
    vacancy = factories.VacancyFactory.create()
    for index in range(size):
        person = candidate(
            sex=("female", "male", "x", "")[index % 4],
            nationalities=[("MA", "TN", "IN")[index % 3]],
            date_of_birth=years_ago(20 + 3 * index),
        )
        eligible(vacancy, person)
        if index % 2:
            case(vacancy, person, (Stage.SHORTLISTED, Stage.PROPOSED, Stage.OFFER_ACCEPTED)[index % 3])
    return vacancy


def test_one_query_reads_a_pool_whatever_its_size() -> None:
    today = timezone.localdate()
    for size in (4, 24):
        vacancy = _pool_of(size)
        with CaptureQueriesContext(connection) as queries:
            cells = vacancy_cells(vacancy=vacancy, on=today)
        assert len(queries) == 1
        assert sum(cell.pool for cell in cells) == size
        assert "GROUP BY" in queries[0]["sql"].upper()
