"""The e-mail an employer's users get when a recruiter proposes a candidate (issue 12, item 18).

Sent by a task queued when the proposal commits (``placement_propose``, alone or in bulk), so a
proposal rolled back sends nothing. Like the reminder near the deadline
(``recruitment.services.reminders``), the e-mail names the case by its pseudonym
(``Placement.reference``), never the candidate, and quotes neither the recruiter's message nor
anything of the profile: it only points to the case, which the employer opens signed in. It goes out
only if the employer may see the case when the task runs (``PlacementQuerySet.shared_with_employer``:
no e-mail when the candidate's consent to share with this employer is not in force) and the case still
awaits the employer's answer at the version that was proposed.

Each user gets it in their own language (``User.preferred_language``). Each proposal is told once, as
the reminder is: the sender claims it with a conditional UPDATE of ``Placement.notified_at`` (not yet
told at this stage), so a message delivered twice, or the task and the sweeper together, send once; a
failed send gives the claim back. The message is only a wake-up call: when it is lost (the broker
restarted empty), ``proposal_notices_sweep`` sends what is still untold, run by beat every few minutes.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import User
from recruitment.models import Placement

logger = logging.getLogger(__name__)

PROPOSAL_NOTICE_TASK = "recruitment.tasks.send_proposal_notice_task"
# The sweeper leaves a proposal this long to its own task before it sends the notice itself.
SWEEP_GRACE = datetime.timedelta(minutes=2)


def _untold() -> Q:
    """Not told of the proposal at its current stage (a case proposed again is told again)."""
    return Q(notified_at__isnull=True) | Q(notified_at__lt=F("stage_changed_at"))


def _message(placement: Placement, user: User) -> EmailMessage:
    languages = {code for code, _name in settings.LANGUAGES}
    language = user.preferred_language if user.preferred_language in languages else settings.LANGUAGE_CODE
    with translation.override(language):
        path = reverse("employer:proposal_detail", kwargs={"public_id": placement.public_id})
        context = {
            "reference": placement.reference,
            "vacancy_title": placement.vacancy.title,
            "organisation": placement.vacancy.employer.name,
            "due_on": placement.response_due_on,
            "url": f"{settings.SITE_URL}{path}",
        }
        subject = _("Talentbrug: candidate %(reference)s proposed for “%(title)s”") % {
            "reference": placement.reference,
            "title": placement.vacancy.title,
        }
        body = render_to_string("recruitment/employer/email/proposal_notice.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def proposal_notice_send(*, placement_id: int, version: int | None = None) -> int:
    """E-mail the active users of the vacancy's employer that case ``placement_id`` was proposed to it
    (at ``version``; None: at whatever version it is now); return how many e-mails went out (0: not
    visible to the employer, moved on since, already told, or nobody to write to)."""
    proposed = Placement.objects.shared_with_employer().filter(
        pk=placement_id, stage=Placement.Stage.PROPOSED
    )
    if version is not None:
        proposed = proposed.filter(version=version)
    placement = proposed.filter(_untold()).select_related("vacancy", "vacancy__employer").first()
    if placement is None:
        return 0
    users = list(
        User.objects.filter(
            organisation_id=placement.vacancy.employer_id, role=User.Role.EMPLOYER_USER, is_active=True
        )
        .exclude(email="")
        .order_by("pk")
    )
    now = timezone.now()
    # The consent may have gone, or another sender told the employer, since the read above. Claimed even
    # with nobody to write to: handled, or the sweeper would read it again every time.
    if proposed.filter(_untold()).update(notified_at=now) != 1:
        return 0
    sent = 0
    connection = get_connection()
    for user in users:  # one at a time: an address refused must not cost the others a second e-mail
        try:
            sent += connection.send_messages([_message(placement, user)]) or 0
        except smtplib.SMTPRecipientsRefused:  # permanent for this address: retrying changes nothing
            logger.warning("proposal notice refused for one recipient", extra={"placement": placement.pk})
        except Exception:
            if sent:  # told some: keep the claim rather than tell them twice
                logger.exception("proposal notice not sent to every user", extra={"placement": placement.pk})
                return sent
            Placement.objects.filter(pk=placement.pk, notified_at=now).update(
                notified_at=placement.notified_at
            )
            raise  # nobody told yet: the task retries, or the sweeper
    return sent


def proposal_notices_sweep(*, now: datetime.datetime) -> int:
    """Tell the employers of the proposals still untold ``SWEEP_GRACE`` after they were made (their
    task's message was lost); return how many proposals were told. Run by beat."""
    untold = (
        Placement.objects.shared_with_employer()
        .filter(stage=Placement.Stage.PROPOSED, stage_changed_at__lt=now - SWEEP_GRACE)
        .filter(_untold())
        .order_by("stage_changed_at", "pk")
        .values_list("pk", flat=True)
    )
    told = 0
    for placement_id in list(untold[:200]):
        try:
            told += bool(proposal_notice_send(placement_id=placement_id))
        except Exception:  # the claim was given back: the next sweep tries again
            logger.exception("proposal notice not sent", extra={"placement": placement_id})
    return told


__all__ = ["PROPOSAL_NOTICE_TASK", "proposal_notice_send", "proposal_notices_sweep"]
