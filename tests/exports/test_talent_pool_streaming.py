"""The talent pool documents are read while the response is sent, after the view returned and outside any
transaction (on PostgreSQL a server-side cursor WITH HOLD, read in chunks with its prefetches): a test of
its own transactions, as the default test transaction would hide that case (see test_streaming.py)."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from exports import talent_pool
from tests import factories
from tests.exports.files import body
from tests.exports.talent_pool_world import build_talent_pool_world, full_candidate, shortage_vacancy
from tests.web.world import verified_client

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_documents_are_read_in_chunks_after_the_view(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = build_talent_pool_world()
    candidates = {str(full_candidate(pool).public_id) for _ in range(3)}
    vacancies = {str(shortage_vacancy(pool).public_id) for _ in range(3)}
    recruiter = verified_client(factories.UserFactory.create())
    monkeypatch.setattr(talent_pool, "CHUNK", 1)  # a chunk per record: several fetches from one cursor
    with translation.override("en"):
        responses = {
            kind: recruiter.get(reverse(f"recruiter_exports:talent_pool_{kind}"))
            for kind in (talent_pool.CANDIDATES, talent_pool.VACANCIES)
        }
    assert not connection.in_atomic_block  # the records below are read as a server sends them
    documents = {kind: json.loads(body(response)) for kind, response in responses.items()}
    assert {record["reference"] for record in documents[talent_pool.CANDIDATES]["candidates"]} == candidates
    assert {record["reference"] for record in documents[talent_pool.VACANCIES]["vacancies"]} == vacancies
    for kind, document in documents.items():
        talent_pool.document_validator(kind).validate(document)
    for response in responses.values():
        response.close()
