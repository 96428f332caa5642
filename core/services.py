"""Writes of the shared kernel. Each service owns its transaction."""

import socket

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import User, WorkerHeartbeat


@transaction.atomic
def heartbeat_record(*, worker: str | None = None) -> WorkerHeartbeat:
    name = worker or socket.gethostname()
    beat, created = WorkerHeartbeat.objects.get_or_create(
        worker=name, defaults={"seen_at": timezone.now(), "beats": 1}
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(seen_at=timezone.now(), beats=F("beats") + 1)
        beat.refresh_from_db()
    return beat


# --- Second factor (TOTP) -------------------------------------------------------------------------


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's TOTP device waiting for its first code: created with a fresh random key when missing.

    The same unconfirmed device (and key) is returned until a code confirms it, so reloading the
    enrolment page does not invalidate a QR code already scanned.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Talentbrug", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with the first code the app shows; throttled like every verification."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def totp_device_verify(*, user: User, token: str) -> TOTPDevice | None:
    """The user's confirmed device that accepts ``token`` (each code works once, failures slow down)."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"):
        verified = verify_token(user, device.persistent_id, token)
        if isinstance(verified, TOTPDevice):
            return verified
    return None
