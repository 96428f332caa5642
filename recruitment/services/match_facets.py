"""The vacancy page's filter values (``VacancyMatchFacet``), kept by the recompute.

The page offers the projects, cohorts and countries of residence of the candidates it lists. Reading
them from the matches joins every match of the vacancy (tens of thousands at 100k candidates) to its
candidate on each page view; here they are written where the matches are:

- a vacancy's full recompute replaces its set with the exact one, under the vacancy's row lock;
- a candidate's recompute adds the candidate's own values to every vacancy it matches, with
  ``INSERT … ON CONFLICT DO NOTHING`` in vacancy order: concurrent candidates never wait on the
  vacancy's row, and two of them adding the same value wait for each other instead of deadlocking.

So the set can only be too large, never too small: a value whose last match went stays until the
vacancy's next full recompute, and filtering on it shows no match. Plain SQL that PostgreSQL and SQLite
both run.
"""

import numpy as np
from django.db import connection

from candidates.models import Candidate
from core.arrays import id_array_param, id_filter
from recruitment.models import Match, MatchFacetKind, VacancyMatchFacet

_FACETS = VacancyMatchFacet._meta.db_table
_MATCHES = Match._meta.db_table
_CANDIDATES = Candidate._meta.db_table
# The candidate's column behind each kind of value, and when it holds one.
_COLUMNS = {
    MatchFacetKind.PROJECT: ("project_id", "c.project_id IS NOT NULL"),
    MatchFacetKind.COHORT: ("cohort_id", "c.cohort_id IS NOT NULL"),
    MatchFacetKind.COUNTRY: ("country_of_residence", "c.country_of_residence <> ''"),
}


def vacancy_facets_rebuild(*, vacancy_id: int) -> None:
    """Replace the vacancy's values with those of its stored matches (caller: the vacancy's full
    recompute, inside its transaction and holding the vacancy's row lock)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_FACETS} WHERE vacancy_id = %s", [vacancy_id])
        for kind, (column, present) in _COLUMNS.items():
            cursor.execute(
                f"INSERT INTO {_FACETS} (vacancy_id, kind, value) "
                f"SELECT DISTINCT m.vacancy_id, %s, CAST(c.{column} AS VARCHAR(40)) "
                f"FROM {_MATCHES} AS m JOIN {_CANDIDATES} AS c ON c.id = m.candidate_id "
                f"WHERE m.vacancy_id = %s AND {present}",
                [kind.value, vacancy_id],
            )


def vacancy_facets_add(*, vacancy_id: int, candidate_ids: np.ndarray) -> None:
    """Add the values of these candidates' matches with the vacancy (caller: a vacancy's run over part
    of the pool, the daily pass, for the pairs it added, holding the vacancy's row lock)."""
    if not len(candidate_ids):
        return
    with connection.cursor() as cursor:
        for kind, (column, present) in _COLUMNS.items():
            cursor.execute(
                f"INSERT INTO {_FACETS} (vacancy_id, kind, value) "
                f"SELECT DISTINCT m.vacancy_id, %s, CAST(c.{column} AS VARCHAR(40)) "
                f"FROM {_MATCHES} AS m JOIN {_CANDIDATES} AS c ON c.id = m.candidate_id "
                f"WHERE m.vacancy_id = %s AND {id_filter('m.candidate_id')} AND {present} "
                f"ON CONFLICT (vacancy_id, kind, value) DO NOTHING",
                [kind.value, vacancy_id, id_array_param(candidate_ids)],
            )


def candidate_facets_add(*, candidate_id: int) -> None:
    """Add the candidate's values to every vacancy it matches now (caller: the candidate's recompute,
    inside its transaction, after writing its matches)."""
    candidates_facets_add(candidate_ids=np.array([candidate_id], dtype=np.int64))


def candidates_facets_add(*, candidate_ids: np.ndarray) -> None:
    """``candidate_facets_add`` for several candidates in one statement per kind (a batch's recompute)."""
    if not len(candidate_ids):
        return
    with connection.cursor() as cursor:
        for kind, (column, present) in _COLUMNS.items():
            cursor.execute(
                f"INSERT INTO {_FACETS} (vacancy_id, kind, value) "
                f"SELECT DISTINCT m.vacancy_id, %s, CAST(c.{column} AS VARCHAR(40)) "
                f"FROM {_MATCHES} AS m JOIN {_CANDIDATES} AS c ON c.id = m.candidate_id "
                f"WHERE {id_filter('m.candidate_id')} AND {present} "
                f"ORDER BY 1, 3 ON CONFLICT (vacancy_id, kind, value) DO NOTHING",
                [kind.value, id_array_param(candidate_ids)],
            )
