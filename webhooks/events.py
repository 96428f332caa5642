"""What partners can subscribe to, and what an event may carry.

An event's ``data`` holds ids and statuses only: a partner fetches the details it may see through the
API, where authorisation, consent and field visibility apply. Personal data in a webhook would bypass
all of that and sit in an outbox, in partners' logs and in retries, so ``check_event_data`` refuses
keys that name it. The check is deliberately simple (key names, not values): it catches the mistake of
passing a serialised candidate, which is the mistake that happens.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What a subscription may ask for (see also ``PING``, sent on request only)."""

    MATCH_CREATED = "match.created", _("A candidate newly matches a vacancy")
    MATCH_UPDATED = "match.updated", _("A match's outcome, score, failed conditions or routes changed")
    MATCH_REMOVED = "match.removed", _("A candidate no longer matches a vacancy")
    VACANCY_UPDATED = "vacancy.updated", _("A vacancy open to your projects was published or changed")
    VACANCY_CLOSED = (
        "vacancy.closed",
        _("A vacancy open to your projects or shared with you was closed or filled, or its share withdrawn"),
    )
    # A vacancy shared with your agency under an agreement (docs/pathways/agreements.md).
    VACANCY_SHARED = "vacancy.shared", _("A vacancy was shared with you under an agreement")
    PLACEMENT_SHORTLISTED = "placement.shortlisted", _("A candidate was shortlisted")
    PLACEMENT_PROPOSED = "placement.proposed", _("A candidate was proposed to an employer")
    PLACEMENT_DECIDED = "placement.decided", _("The employer decided on a proposed candidate")
    PLACEMENT_STAGE_CHANGED = "placement.stage_changed", _("A placement moved to another stage")
    PLACEMENT_CONSENT_WITHDRAWN = (
        "placement.consent_withdrawn",
        _("The candidate no longer consents to share their profile with the employer of a placement"),
    )
    CANDIDATE_MERGED = (
        "candidate.merged",
        _("Your candidate was found to be registered twice and the two records were merged"),
    )


# A test event a partner asks for, sent to one subscription whatever its event types: not subscribable.
PING = "ping"
# What the outbox may hold.
OUTBOX_EVENT_TYPES = (*EventType.choices, (PING, _("Test ping")))

# Event types whose ``score`` a subscription's ``min_score`` filters on (the new score, for an update).
SCORED_EVENT_TYPES = frozenset({EventType.MATCH_CREATED.value, EventType.MATCH_UPDATED.value})

# Keys that name personal data, compared after lower-casing and turning "-" into "_"; a key also
# counts when it ends in "_" + one of these ("candidate_email", "contact_phone").
PERSONAL_DATA_KEYS = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "full_name",
        "given_name",
        "family_name",
        "email",
        "phone",
        "telephone",
        "mobile",
        "date_of_birth",
        "birth_date",
        "birthdate",
        "dob",
        "nationality",
        "address",
        "passport",
        "passport_number",
        "national_id",
        "national_number",
        "gender",
    }
)
MAX_DATA_BYTES = 16_384  # ids and statuses fit many times over; a bigger payload is a mistake


class PersonalDataError(ValueError):
    """An emitter tried to put personal data (or something that is not ids and statuses) in an event."""


@dataclass(frozen=True)
class EmittedEvent:
    """One event for ``webhook_events_emit_many``: about a candidate of ``organisation_id``."""

    organisation_id: int
    event_type: str
    data: dict[str, Any] = field(default_factory=dict)
    score: Decimal | float | None = None


def _personal_keys(value: object, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            normalised = str(key).strip().lower().replace("-", "_")
            if normalised in PERSONAL_DATA_KEYS or any(
                normalised.endswith("_" + word) for word in PERSONAL_DATA_KEYS
            ):
                found.append(f"{path}{key}")
            found += _personal_keys(item, f"{path}{key}.")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += _personal_keys(item, f"{path}{index}.")
    return found


def check_event_type(event_type: str) -> None:
    if event_type not in EventType.values:
        raise ValueError(f"unknown webhook event type {event_type!r}")


def check_event_data(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as it will be stored and sent (JSON round trip: decimals and UUIDs become strings).

    Raises ``PersonalDataError`` for a key naming personal data, a payload that is not a JSON object,
    or one larger than ``MAX_DATA_BYTES``. The message names the keys, never their values.
    """
    if not isinstance(data, dict):
        raise PersonalDataError("webhook event data must be a JSON object of ids and statuses")
    refused = _personal_keys(data)
    if refused:
        raise PersonalDataError(f"webhook event data may not carry personal data: {', '.join(refused)}")
    encoded = json.dumps(data, cls=DjangoJSONEncoder)
    if len(encoded.encode()) > MAX_DATA_BYTES:
        raise PersonalDataError(f"webhook event data is larger than {MAX_DATA_BYTES} bytes")
    normalised: dict[str, Any] = json.loads(encoded)
    return normalised
