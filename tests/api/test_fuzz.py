"""Schemathesis against the committed OpenAPI schema, in-process (WSGI), with two partners' tokens.

For every operation, generated requests (valid and invalid) are sent with partner X's token and again
with partner Y's, and each answer must: not be a 5xx; have a documented status, content type, headers
and body schema; refuse what the schema forbids; and never contain an id of the other partner's
candidates, vacancies or matches. Path ids are drawn from both partners' objects and random ones.

Bounded in time (about half a minute): a dozen generated examples per operation, no shrinking, a
deadline per example; ``TALENTBRUG_FUZZ_FULL=1`` adds schemathesis's boundary cases. Not run:
``positive_data_acceptance``, because a request can match the schema and still break a business rule
a JSON schema cannot express (a cohort of another project, a recognition decision without its date):
those are 400s with field errors, on purpose.
"""

import datetime
import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from config.wsgi import application
from recruitment.matching.codes import REASON_BIT
from recruitment.models import Match, Placement, PlacementTransition
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import subscription_create, webhook_event_emit

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
EXAMPLES = 12
# Schemathesis's boundary-value ("explicit") cases as well: about a thousand requests per operation,
# minutes rather than seconds, so on demand (TALENTBRUG_FUZZ_FULL=1) rather than in every run.
PHASES = (
    [Phase.explicit, Phase.generate] if os.environ.get("TALENTBRUG_FUZZ_FULL") == "1" else [Phase.generate]
)

schema = schemathesis.openapi.from_path(COMMITTED)
schema.app = application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
    unsupported_method,
]
# Each bulk item is judged on its own: an invalid item is an "error" result in a 200, not a 400.
BULK_EXCLUDED = [negative_data_rejection]


@dataclass
class Side:
    token: str
    ids: dict[str, list[str]]  # path parameter -> ids of this partner's objects

    @property
    def all_ids(self) -> set[str]:
        return {value for values in self.ids.values() for value in values}


def _side(partner: Partner) -> Side:
    """A candidate, a vacancy open to the partner's project, their match and placement, a subscription
    with a failed delivery: something behind every path parameter."""
    candidate = factories.CandidateFactory.create(registered_by=partner.organisation, with_b1_dutch=True)
    vacancy = published_vacancy(partner.project)
    now = timezone.now()
    Match.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        outcome="conditional",
        score=55,
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=now,
        reason_bits=REASON_BIT["language.below_minimum"],
    )
    placement = Placement.objects.create(vacancy=vacancy, candidate=candidate, stage_changed_at=now)
    PlacementTransition.objects.create(placement=placement, to_stage="shortlisted", at=now)
    subscription, _secret = subscription_create(
        organisation=partner.organisation, url="https://hooks.example.org/in", event_types=["match.created"]
    )
    webhook_event_emit(organisation_id=partner.organisation.pk, event_type="match.created", data={"n": 1})
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=8)
    return Side(
        token=partner.token(),
        ids={
            "candidate_id": [str(candidate.public_id)],
            "vacancy_id": [str(vacancy.public_id)],
            "placement_id": [str(placement.public_id)],
            "subscription_id": [str(subscription.public_id)],
            "delivery_id": [str(delivery.public_id)],
        },
    )


@pytest.fixture
def sides(partner_x: Partner, partner_y: Partner) -> Iterator[tuple[Side, Side]]:
    both = _side(partner_x), _side(partner_y)
    # The WSGI handler would close the test's connection (and with it the test's transaction) after
    # each request; Django's test client avoids that in the same way. Disconnected only now: the test
    # client used above reconnects the signal after each of its own requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield both
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _aim(case: Any, me: Side, other: Side) -> None:
    """Point path ids at my objects, the other partner's, or random ones (decided by the case itself)."""
    chooser = random.Random(repr(sorted(case.path_parameters.items())) if case.path_parameters else "")
    for name in list(case.path_parameters or {}):
        pool = me.ids.get(name, []) + other.ids.get(name, [])
        if pool and chooser.random() < 0.6:
            case.path_parameters[name] = chooser.choice(pool)


def _shown(text: str) -> str:
    """What an answer reveals: a problem's ``instance`` only echoes the path the client asked for."""
    try:
        body = json.loads(text)
    except ValueError:
        return text
    if isinstance(body, dict):
        body.pop("instance", None)
    return json.dumps(body)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=datetime.timedelta(seconds=10),
    phases=PHASES,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_its_contract(case: Any, sides: tuple[Side, Side]) -> None:
    excluded = BULK_EXCLUDED if case.path.endswith("/bulk/") else []
    checks = [check for check in CHECKS if check not in excluded]
    for me, other in (sides, sides[::-1]):
        _aim(case, me, other)
        response = case.call_and_validate(headers={"Authorization": f"Bearer {me.token}"}, checks=checks)
        shown = _shown(response.text)
        leaked = {value for value in other.all_ids if value in shown}
        assert not leaked, f"{case.method} {case.formatted_path} showed the other partner's ids {leaked}"
