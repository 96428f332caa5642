"""Requests for erasure: asked (by the candidate in their space, or by staff for them), then executed or
refused by staff holding ``privacy.change_erasurerequest``.

Asking restricts the candidate at once (GDPR art. 18(1): while a request is being handled the data is
stored, not processed), through the candidates app's own service, in the transaction that records the
request: a request never exists without the restriction. Refusing leaves the restriction in place;
staff lift it on the candidate's page if the refusal means the processing may go on.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from candidates.services.restriction import candidate_restrict
from core.models import User
from privacy.models import ErasureRequest, RequestedBy
from privacy.services.erasure import candidate_erase

REFUSAL_MAX_LENGTH = 1000


def _restriction_reason() -> str:
    # Stored text read by staff: in the site's language, whoever's request it is.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Erasure of the data requested: processing restricted until it is handled.")


def erasure_request_create(
    *,
    candidate: Candidate,
    requested_by_kind: str = RequestedBy.CANDIDATE,
    requested_by: User | None = None,
    now: datetime.datetime | None = None,
) -> ErasureRequest:
    """Record a request to erase ``candidate`` and restrict them at once; returns the open request.

    ``requested_by``: the staff member recording it for the candidate (``requested_by_kind`` staff),
    None for the candidate's own request. Idempotent: asking again returns the open request unchanged.
    Raises ``ValidationError`` for a candidate already erased.
    """
    if requested_by_kind not in (RequestedBy.CANDIDATE, RequestedBy.STAFF):
        raise ValueError(f"an erasure is requested by the candidate or staff, not {requested_by_kind!r}")
    now = now or timezone.now()
    with transaction.atomic():
        current = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if current.status == Candidate.Status.ANONYMISED:
            raise ValidationError(_("These data have already been erased."), code="anonymised")
        open_request = ErasureRequest.objects.filter(
            candidate=current, status=ErasureRequest.Status.REQUESTED
        ).first()
        if open_request is not None:
            return open_request
        candidate_restrict(
            candidate=current,
            by=requested_by if requested_by_kind == RequestedBy.STAFF else None,
            reason=_restriction_reason(),
            at=now,
        )
        return ErasureRequest.objects.create(
            candidate=current,
            candidate_reference=current.public_id,
            requested_at=now,
            requested_by_kind=requested_by_kind,
            requested_by=requested_by if requested_by_kind == RequestedBy.STAFF else None,
        )


def _open(request: ErasureRequest) -> ErasureRequest:
    current = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != ErasureRequest.Status.REQUESTED:
        raise ValidationError(_("This request has already been handled."), code="decided")
    return current


def erasure_request_execute(
    *, request: ErasureRequest, by: User, now: datetime.datetime | None = None
) -> ErasureRequest:
    """Execute an open request: ``candidate_erase`` of its candidate. Raises ``ValidationError`` when
    the request was already executed or refused (by someone else, a moment ago)."""
    if request.candidate_id is None:  # the candidate row was deleted outright: nothing left to erase
        with transaction.atomic():
            current = _open(request)
            current.status = ErasureRequest.Status.EXECUTED
            current.decided_at = now or timezone.now()
            current.decided_by = by
            current.save(update_fields=["status", "decided_at", "decided_by"])
        return current
    candidate = Candidate.objects.get(pk=request.candidate_id)
    return candidate_erase(candidate=candidate, by=by, now=now, request=request)


def erasure_request_refuse(
    *, request: ErasureRequest, by: User, reason: str, now: datetime.datetime | None = None
) -> ErasureRequest:
    """Refuse an open request, saying why (the candidate is told: GDPR art. 12(4)). The restriction
    stays. Raises ``ValidationError`` for an empty or too long reason, or a request already handled."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the erasure is refused."), code="reason_required")
    if len(reason) > REFUSAL_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(limit)d characters."),
            code="reason_too_long",
            params={"limit": REFUSAL_MAX_LENGTH},
        )
    with transaction.atomic():
        current = _open(request)
        current.status = ErasureRequest.Status.REFUSED
        current.decided_at = now or timezone.now()
        current.decided_by = by
        current.refusal_reason = reason
        current.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
    return current
