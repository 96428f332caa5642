"""Writes of the partner API app: OAuth2 clients of partner organisations, and idempotency keys."""

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from api.models import IdempotencyRecord, PartnerClient
from api.problems import IdempotencyKeyInProgress, IdempotencyKeyReused
from api.scopes import ALL_SCOPES
from core.models import Organisation, User

# How long a key is remembered, and how long a crashed first request may block it.
IDEMPOTENCY_RETENTION = datetime.timedelta(hours=24)
IDEMPOTENCY_LEASE = datetime.timedelta(seconds=60)

Application = get_application_model()


@dataclass(frozen=True)
class ClientCredentials:
    """Shown once: only a hash of the secret is stored."""

    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    service_user: str


@transaction.atomic
def partner_client_create(
    *,
    organisation: Organisation,
    scopes: list[str] | tuple[str, ...],
    name: str = "",
    client_id: str | None = None,
    client_secret: str | None = None,
    username: str | None = None,
) -> ClientCredentials:
    """A client-credentials OAuth2 client for ``organisation``, owned by a new service user.

    The service user has the partner-user role, no usable password (it cannot sign in to the site) and
    exists only to own the client: every API request of the client runs as it, scoped to its
    organisation. ``client_id``/``client_secret`` default to random values (fixed ones are for the demo).
    """
    if organisation.kind not in Organisation.PARTNER_KINDS:
        raise ValueError(f"{organisation} is not a partner organisation")
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown or not scopes:
        raise ValueError(f"unknown or no scopes: {unknown}")
    base = username or f"api-{slugify(organisation.short_name or organisation.name)[:30]}"
    username = base if not User.objects.filter(username=base).exists() else f"{base}-{secrets.token_hex(3)}"
    user = User(username=username, role=User.Role.PARTNER_USER, organisation=organisation)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    secret = client_secret or generate_client_secret()
    application = Application(
        name=name or f"{organisation} API client",
        user=user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed when saved (hash_client_secret)
        hash_client_secret=True,
        redirect_uris="",
        skip_authorization=True,
    )
    if client_id:
        application.client_id = client_id
    application.save()
    PartnerClient.objects.create(application=application, scopes=sorted(set(scopes)))
    return ClientCredentials(
        client_id=application.client_id,
        client_secret=secret,
        scopes=tuple(sorted(set(scopes))),
        service_user=username,
    )


@transaction.atomic
def partner_client_reset(
    *, application: Any, client_secret: str, scopes: list[str] | tuple[str, ...]
) -> None:
    """Give an existing client a new secret (hashed when saved) and these scopes."""
    application.client_secret = client_secret
    application.save()
    PartnerClient.objects.update_or_create(application=application, defaults={"scopes": sorted(set(scopes))})


def idempotency_begin(*, application: Any, key: str, fingerprint: str) -> tuple[IdempotencyRecord, bool]:
    """Claim ``key`` for a request, or find its finished answer: (record, True when it is a replay).

    Raises ``IdempotencyKeyReused`` when the key came with another request, and
    ``IdempotencyKeyInProgress`` while the first request with it still runs. A first request that
    crashed holds the key for ``IDEMPOTENCY_LEASE`` at most; then the key may be claimed again.
    """
    now = timezone.now()
    IdempotencyRecord.objects.filter(
        application=application, created_at__lt=now - IDEMPOTENCY_RETENTION
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                application=application,
                key=key,
                fingerprint=fingerprint,
                created_at=now,
                locked_until=now + IDEMPOTENCY_LEASE,
            )
        return record, False
    except IntegrityError:
        record = IdempotencyRecord.objects.get(application=application, key=key)
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was first used with another request; use a new key for this one.")
        )
    if record.status_code is not None:
        return record, True
    claimed = IdempotencyRecord.objects.filter(pk=record.pk, status_code=None, locked_until__lt=now).update(
        locked_until=now + IDEMPOTENCY_LEASE
    )
    if not claimed:
        raise IdempotencyKeyInProgress(
            _("The first request with this Idempotency-Key is still running; retry in a moment."),
            headers={"Retry-After": "1"},
        )
    record.refresh_from_db()
    return record, False


def idempotency_finish(*, record: IdempotencyRecord, status_code: int, response: Any) -> None:
    """Remember the answer of a successful request: the same key and body get it again."""
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=status_code, response=response, locked_until=None
    )


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Forget a key whose request failed: it wrote nothing, so the client may retry with the same key."""
    IdempotencyRecord.objects.filter(pk=record.pk, status_code=None).delete()
