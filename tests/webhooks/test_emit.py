"""Emitting into the outbox: who gets a delivery, what a rollback leaves, what an event may carry."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from tests import factories
from tests.webhooks.conftest import SubscribeFn
from webhooks.events import EmittedEvent, EventType, PersonalDataError
from webhooks.models import WebhookDelivery, WebhookEvent
from webhooks.services import subscription_update, webhook_event_emit, webhook_events_emit_many
from webhooks.services.emit import DIRECT_SEND_LIMIT

pytestmark = pytest.mark.django_db

MATCH = EventType.MATCH_CREATED.value
DECIDED = EventType.PLACEMENT_DECIDED.value


def _emit(
    organisation_id: int, event_type: str = MATCH, score: Decimal | float | None = None, **data: Any
) -> int:
    return webhook_event_emit(
        organisation_id=organisation_id,
        event_type=event_type,
        data=data or {"candidate_id": "c-1", "vacancy_id": 7},
        score=score,
    )


def test_nobody_subscribed_writes_nothing_and_queues_nothing(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    organisation = factories.OrganisationFactory.create()
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(1):
        assert _emit(organisation.pk) == 0
    assert callbacks == []
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_one_event_and_one_delivery_per_interested_subscription(
    subscribe: SubscribeFn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first, _ = subscribe()
    second, _ = subscribe("https://other.partner.example/hook", event_types=[MATCH])
    subscribe("https://third.partner.example/hook", event_types=[DECIDED])
    with django_capture_on_commit_callbacks() as callbacks:
        assert _emit(first.organisation_id, candidate_id="c-1", vacancy_id=7, outcome="eligible") == 2
    event = WebhookEvent.objects.get()
    assert (event.type, event.organisation_id) == (MATCH, first.organisation_id)
    assert event.data == {"candidate_id": "c-1", "vacancy_id": 7, "outcome": "eligible"}
    deliveries = WebhookDelivery.objects.filter(event=event)
    assert {d.subscription_id for d in deliveries} == {first.pk, second.pk}
    assert all(d.status == "pending" and d.attempts == 0 and d.message_sent_at for d in deliveries)
    assert len(callbacks) == 2  # one wake-up message per delivery, after commit


def test_event_type_filter(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe(event_types=[DECIDED])
    assert _emit(subscription.organisation_id, MATCH) == 0
    assert not WebhookEvent.objects.exists()
    assert _emit(subscription.organisation_id, DECIDED, decision="interested") == 1


def test_min_score_filter_applies_to_scored_events(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe(event_types=[MATCH, DECIDED], min_score=Decimal("70.00"))
    organisation_id = subscription.organisation_id
    assert _emit(organisation_id, score=Decimal("69.99")) == 0
    assert _emit(organisation_id, score=69.5) == 0
    assert _emit(organisation_id, score=Decimal(70)) == 1
    assert _emit(organisation_id, score=91.25) == 1
    assert _emit(organisation_id, DECIDED) == 1  # no score: the threshold does not apply
    unfiltered, _ = subscribe("https://all.partner.example/hook", event_types=[MATCH])
    assert _emit(unfiltered.organisation_id, score=Decimal("12.5")) == 1  # only the unfiltered one


def test_inactive_subscriptions_and_other_organisations_get_nothing(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe()
    other = factories.OrganisationFactory.create()
    subscribe("https://other.example/hook", organisation=other)
    subscription_update(subscription=subscription, is_active=False)
    assert _emit(subscription.organisation_id) == 0
    assert _emit(other.pk) == 1
    assert set(WebhookEvent.objects.values_list("organisation_id", flat=True)) == {other.pk}


def test_a_rolled_back_change_leaves_no_event_and_sends_nothing(
    subscribe: SubscribeFn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    subscription, _ = subscribe()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        assert _emit(subscription.organisation_id) == 1
        raise RuntimeError("the caller's change failed")
    assert callbacks == []
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"candidate_id": 1, "name": "Amina"},
        {"candidate_id": 1, "Email": "a@example.org"},
        {"candidate_id": 1, "candidate_email": "a@example.org"},
        {"candidate_id": 1, "contact-phone": "+212600000000"},
        {"candidate_id": 1, "date_of_birth": "1990-01-01"},
        {"candidate_id": 1, "nationality": "MA"},
        {"candidate": {"id": 1, "first_name": "Amina"}},
        {"candidates": [{"id": 1}, {"id": 2, "last_name": "B"}]},
    ],
    ids=str,
)
def test_personal_data_is_refused_even_when_nobody_subscribed(
    data: dict[str, Any], subscribe: SubscribeFn
) -> None:
    subscription, _ = subscribe()
    for organisation_id in (subscription.organisation_id, factories.OrganisationFactory.create().pk):
        with pytest.raises(PersonalDataError) as refused:
            _emit(organisation_id, **data)
        assert "Amina" not in str(refused.value) and "@" not in str(refused.value)  # keys named, not values
    assert not WebhookEvent.objects.exists()


def test_ids_statuses_and_decimals_are_fine_and_stored_as_json(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe()
    data = {"candidate_id": "P-17", "vacancy_id": 3, "outcome": "conditional", "score": Decimal("81.50")}
    assert webhook_event_emit(organisation_id=subscription.organisation_id, event_type=MATCH, data=data) == 1
    assert WebhookEvent.objects.get().data == {**data, "score": "81.50"}


def test_an_unknown_event_type_or_oversized_data_is_a_programming_error(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe()
    with pytest.raises(ValueError, match="unknown webhook event type"):
        _emit(subscription.organisation_id, "candidate.deleted")
    with pytest.raises(PersonalDataError, match="larger than"):
        _emit(subscription.organisation_id, ids=list(range(10_000)))
    assert not WebhookEvent.objects.exists()


def test_bulk_emit_asks_for_subscriptions_once_whatever_the_number_of_events(
    subscribe: SubscribeFn,
    django_assert_num_queries: DjangoAssertNumQueries,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    organisations = [factories.OrganisationFactory.create() for _ in range(3)]
    for organisation in organisations:
        subscribe(
            f"https://{organisation.pk}.partner.example/hook", organisation=organisation, event_types=[MATCH]
        )
    nobody = factories.OrganisationFactory.create()
    events = [
        EmittedEvent(
            organisation_id=org.pk, event_type=MATCH, data={"candidate_id": n, "vacancy_id": 9}, score=n
        )
        for n in range(20)
        for org in [*organisations, nobody]
    ]
    # One SELECT of the subscriptions, one INSERT of the events, one of the deliveries.
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(3) as captured:
        assert webhook_events_emit_many(events=events) == 60
    subscription_queries = [
        q for q in captured.captured_queries if "webhooks_webhooksubscription" in q["sql"].lower()
    ]
    assert len(subscription_queries) == 1, subscription_queries
    assert WebhookEvent.objects.count() == 60  # none for the organisation without subscriptions
    # More than DIRECT_SEND_LIMIT deliveries: one sweeper run sends their messages, in batches.
    assert DIRECT_SEND_LIMIT < 60 and len(callbacks) == 1
    assert not WebhookDelivery.objects.filter(message_sent_at__isnull=False).exists()


def test_bulk_emit_of_nothing_or_to_nobody_costs_at_most_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(0):
        assert webhook_events_emit_many(events=[]) == 0
    organisation = factories.OrganisationFactory.create()
    with django_assert_num_queries(1):
        assert (
            webhook_events_emit_many(events=[EmittedEvent(organisation.pk, MATCH, {"candidate_id": 1})]) == 0
        )
