"""The data lifecycle's rules that live in the database: one open erasure request per candidate, a
decision dated, a refusal explained, one reminder per period of inactivity."""

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from privacy.models import ErasureRequest, RetentionReminder
from tests import factories

pytestmark = pytest.mark.django_db


def _request(**fields: object) -> ErasureRequest:
    candidate = fields.pop("candidate", None) or factories.CandidateFactory.create()
    values: dict[str, object] = {
        "candidate": candidate,
        "candidate_reference": candidate.public_id,  # type: ignore[attr-defined]
        "requested_at": timezone.now(),
        "requested_by_kind": "candidate",
    }
    return ErasureRequest.objects.create(**(values | fields))


def _refused(make: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_open_request_per_candidate() -> None:
    first = _request()
    _refused(lambda: _request(candidate=first.candidate))
    ErasureRequest.objects.filter(pk=first.pk).update(status="executed", decided_at=timezone.now())
    _request(candidate=first.candidate)  # a new request after the first was decided


def test_a_decision_is_dated_and_a_refusal_explained() -> None:
    _refused(lambda: _request(status="executed"))
    _refused(lambda: _request(decided_at=timezone.now()))
    _refused(lambda: _request(status="refused", decided_at=timezone.now()))
    _request(status="refused", decided_at=timezone.now(), refusal_reason="Kept for a labour inspection.")
    _refused(lambda: _request(requested_by_kind="someone"))


def test_one_reminder_per_period_of_inactivity() -> None:
    candidate = factories.CandidateFactory.create()
    since = timezone.now()
    RetentionReminder.objects.create(candidate=candidate, inactive_since=since, sent_at=since)
    _refused(
        lambda: RetentionReminder.objects.create(candidate=candidate, inactive_since=since, sent_at=since)
    )
