"""Correction requests (the right to rectification, GDPR art. 16): the candidate asks, the registering
partner agency or a recruiter corrects the profile through their usual tools and closes the request
with an answer the candidate reads.

The agency is told by e-mail, by a task queued when the request commits (``notified_at`` claimed by a
conditional UPDATE, so a message delivered twice, or the task and the sweeper together, send once). The
e-mail names neither the candidate nor the request's text: it points to the page where the agency's
users read it, signed in.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candidate_space.models import CorrectionRequest
from candidates.models import Candidate
from core.jobs import queue_task_after_commit
from core.models import User

logger = logging.getLogger(__name__)

CORRECTION_NOTICE_TASK = "candidate_space.tasks.send_correction_notice_task"
# The sweeper leaves a request this long to its own task before it sends the notice itself.
SWEEP_GRACE = datetime.timedelta(minutes=2)
# A candidate asks, a person answers: more open requests than this at once is a mistake or abuse.
MAX_OPEN_PER_CANDIDATE = 10


class CorrectionRefused(Exception):
    """A correction request that cannot be made or closed; ``message`` is for the person who tried."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def correction_request_create(*, candidate: Candidate, part: str, message: str) -> CorrectionRequest:
    """Record the candidate's request and queue the e-mail to their agency after commit."""
    if part not in CorrectionRequest.Part.values:
        raise CorrectionRefused(_("Choose the part of your profile to correct."))
    message = message.strip()
    if not message:
        raise CorrectionRefused(_("Say what should be corrected."))
    with transaction.atomic():
        # Locked: two requests sent at once are counted one after the other.
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        open_count = CorrectionRequest.objects.filter(
            candidate=candidate, status=CorrectionRequest.Status.OPEN
        ).count()
        if open_count >= MAX_OPEN_PER_CANDIDATE:
            raise CorrectionRefused(
                _("You have many open requests. Please wait for an answer before you send more.")
            )
        correction = CorrectionRequest.objects.create(candidate=candidate, part=part, message=message)
        queue_task_after_commit(CORRECTION_NOTICE_TASK, correction.pk)
    return correction


def correction_request_close(
    *, correction: CorrectionRequest, actor: User, status: str, answer: str
) -> CorrectionRequest:
    """Close an open request as corrected or not (a refusal needs an answer saying why). The caller has
    authorised ``actor`` for the candidate. Raises ``CorrectionRefused`` when it was closed meanwhile."""
    if status not in (CorrectionRequest.Status.DONE, CorrectionRequest.Status.REJECTED):
        raise CorrectionRefused(_("Choose whether the profile was corrected."))
    answer = answer.strip()
    if status == CorrectionRequest.Status.REJECTED and not answer:
        raise CorrectionRefused(_("Say why the profile is not corrected."))
    now = timezone.now()
    with transaction.atomic():
        # Conditional: of two people closing the same request at once, the first one's answer stands.
        closed = CorrectionRequest.objects.filter(
            pk=correction.pk, status=CorrectionRequest.Status.OPEN
        ).update(status=status, answer=answer, handled_by=actor, handled_at=now)
        if closed != 1:
            raise CorrectionRefused(_("This request was already answered."))
    correction.refresh_from_db()
    return correction


def _recipients(organisation_id: int) -> list[User]:
    """The agency's active users who look after its candidates (the recruiters, for a candidate the
    public employment service registered itself)."""
    return list(
        User.objects.filter(
            organisation_id=organisation_id,
            role__in=[User.Role.PARTNER_USER, User.Role.RECRUITER, User.Role.PROJECT_COORDINATOR],
            is_active=True,
        )
        .exclude(email="")
        .order_by("pk")
    )


def _notice(correction: CorrectionRequest, user: User) -> EmailMessage:
    languages = {code for code, _name in settings.LANGUAGES}
    language = user.preferred_language if user.preferred_language in languages else settings.LANGUAGE_CODE
    with translation.override(language):
        path = reverse("corrections:detail", kwargs={"public_id": correction.public_id})
        context = {
            "part": correction.get_part_display(),
            "url": f"{settings.SITE_URL}{path}",
            "organisation": correction.candidate.registered_by.name,
        }
        subject = _("Talentbrug: a candidate asks for a correction of their profile")
        body = render_to_string("candidate_space/email/correction_notice.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def correction_notice_send(*, correction_request_id: int) -> int:
    """E-mail the candidate's registering organisation that request ``correction_request_id`` waits for
    them; return how many e-mails went out (0: already told, closed, or nobody to write to)."""
    untold = CorrectionRequest.objects.filter(
        pk=correction_request_id, notified_at__isnull=True, status=CorrectionRequest.Status.OPEN
    )
    correction = untold.select_related("candidate", "candidate__registered_by").first()
    if correction is None:
        return 0
    users = _recipients(correction.candidate.registered_by_id)
    now = timezone.now()
    if untold.update(notified_at=now) != 1:  # another sender claimed it meanwhile
        return 0
    sent = 0
    connection = get_connection()
    for user in users:  # one at a time: an address refused must not cost the others the e-mail
        try:
            sent += connection.send_messages([_notice(correction, user)]) or 0
        except smtplib.SMTPRecipientsRefused:
            logger.warning("correction notice refused for one recipient", extra={"request": correction.pk})
        except Exception:
            if sent:  # told some: keep the claim rather than tell them twice
                logger.exception("correction notice not sent to everyone", extra={"request": correction.pk})
                return sent
            CorrectionRequest.objects.filter(pk=correction.pk, notified_at=now).update(notified_at=None)
            raise  # nobody told yet: the task retries, or the sweeper
    return sent


def correction_notices_sweep(*, now: datetime.datetime) -> int:
    """Tell the agencies of open requests still untold ``SWEEP_GRACE`` after they were made (their task's
    message was lost); return how many requests were told. Run by beat."""
    untold = (
        CorrectionRequest.objects.filter(
            status=CorrectionRequest.Status.OPEN,
            notified_at__isnull=True,
            created_at__lt=now - SWEEP_GRACE,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    told = 0
    for request_id in list(untold[:200]):
        try:
            told += bool(correction_notice_send(correction_request_id=request_id))
        except Exception:  # the claim was given back: the next sweep tries again
            logger.exception("correction notice not sent", extra={"request": request_id})
    return told


__all__ = [
    "CORRECTION_NOTICE_TASK",
    "CorrectionRefused",
    "correction_notice_send",
    "correction_notices_sweep",
    "correction_request_close",
    "correction_request_create",
]
