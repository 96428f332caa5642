"""Query results as NumPy arrays (core/arrays.py): the same values as the ORM gives, on SQLite (tuples)
and on PostgreSQL (one binary value per column, parsed by NumPy)."""

import datetime

import numpy as np
import pytest

from candidates.models import Candidate
from core.arrays import fetch_arrays, id_array_param, id_filter
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_columns_come_back_as_the_orm_reads_them() -> None:
    people = [
        CandidateFactory.create(available_from=datetime.date(2027, 3, 1)),
        CandidateFactory.create(available_from=None),
        CandidateFactory.create(available_from=datetime.date(1999, 12, 31)),
    ]
    wanted = [people[0].pk, people[2].pk, people[1].pk]
    arrays = fetch_arrays(
        "SELECT id, profile_version, public_id, COALESCE(available_from, '0001-01-01'), "
        "CASE WHEN status = %s THEN 1 ELSE 0 END = 1 "
        f"FROM candidates_candidate WHERE {id_filter('id')}",
        [Candidate.Status.ACTIVE, id_array_param(wanted)],
        [("id", "int8"), ("version", "int4"), ("public", "uuid"), ("available", "date"), ("active", "bool")],
    )
    order = np.argsort(arrays["id"])
    by_id = sorted(people, key=lambda p: p.pk)
    assert arrays["id"][order].tolist() == [p.pk for p in by_id]
    assert arrays["version"][order].tolist() == [p.profile_version for p in by_id]
    assert [bytes(v) for v in arrays["public"][order]] == [p.public_id.bytes for p in by_id]
    assert arrays["available"][order].tolist() == [
        (p.available_from or datetime.date(1, 1, 1)).toordinal() for p in by_id
    ]
    assert arrays["active"].dtype == np.bool_ and arrays["active"].all()


def test_no_row_gives_empty_arrays() -> None:
    arrays = fetch_arrays(
        f"SELECT id FROM candidates_candidate WHERE {id_filter('id')}", [id_array_param([])], [("id", "int8")]
    )
    assert arrays["id"].tolist() == [] and arrays["id"].dtype == np.int64
