"""A streamed CSV reads its rows after the view has returned (while the response is sent), outside any
transaction: on PostgreSQL ``QuerySet.iterator`` then uses a server-side cursor WITH HOLD, read in chunks.
These tests read the files as a server would, in several chunks, with and without ATOMIC_REQUESTS, and
need transactions of their own (the default test transaction would hide the autocommit case)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from exports import views
from tests.exports.files import csv_rows
from tests.web.world import WebWorld, build_web_world, verified_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=[False, True], ids=["autocommit", "atomic-requests"])
def atomic_requests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    # The setting is read per request from the connection's settings.
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", request.param)
    yield request.param


def _export(client: Client, name: str, *args: Any) -> Any:
    with translation.override("en"):
        url = reverse(f"recruiter_exports:{name}", args=args)
    return client.get(url, {"format": "csv"})


def test_a_streamed_csv_reads_its_rows_in_chunks_after_the_view(
    atomic_requests: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    world: WebWorld = build_web_world()
    recruiter = verified_client(world.recruiter)
    monkeypatch.setattr(views, "CHUNK", 1)  # a chunk per row: several fetches from the one cursor
    matches = _export(recruiter, "vacancy_matches", world.vacancy.public_id)
    candidates = _export(recruiter, "candidate_list")
    assert not connection.in_atomic_block  # the rows below are read as a server sends them
    _header, *match_rows = csv_rows(matches)
    assert [row[1] for row in match_rows] == ["Amina Benali", "Youssef Alaoui"]
    _header, *candidate_rows = csv_rows(candidates)
    assert len(candidate_rows) >= 2
    matches.close()
    candidates.close()
