"""Reminders to employers of proposals that await their answer: due within two days, or overdue.

Run daily by celery beat (``send_proposal_reminders_task``). Each proposal is reminded once: the job
claims it with a conditional UPDATE of ``Placement.reminded_at`` before sending, so two workers (or a
redelivered message) never send the same reminder twice. The claim is "not reminded since the case
reached its stage", so a case reminded at another stage in the past would be reminded again.

The e-mail names the case by its pseudonym (``Placement.reference``), never the candidate: an e-mail
leaves our control, and until the employer invites the candidate it must not learn who they are. Only
cases the employer may see are reminded (``PlacementQuerySet.shared_with_employer``): no e-mail points
to a case whose candidate withdrew the consent to share with it.
"""

import datetime
import logging

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

# How many days before the deadline the employer is reminded.
REMIND_DAYS_BEFORE = 2


def _not_reminded_at_this_stage() -> Q:
    return Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("stage_changed_at"))


def _recipients(employer_ids: set[int]) -> dict[int, list[str]]:
    addresses: dict[int, list[str]] = {}
    for organisation_id, email in (
        User.objects.filter(organisation_id__in=employer_ids, role=User.Role.EMPLOYER_USER, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("organisation_id", "email")
    ):
        addresses.setdefault(organisation_id, []).append(email)
    return addresses


def _message(placement: Placement, today: datetime.date, to: str) -> EmailMessage:
    path = reverse("employer:proposal_detail", kwargs={"public_id": placement.public_id})
    assert placement.response_due_on is not None  # the query selects only cases with a deadline
    context = {
        "reference": placement.reference,
        "vacancy_title": placement.vacancy.title,
        "organisation": placement.vacancy.employer.name,
        "due_on": placement.response_due_on,
        "overdue": placement.response_due_on < today,
        "url": f"{settings.SITE_URL}{path}",
    }
    subject = _("Talentbrug: please answer about candidate %(reference)s") % {
        "reference": context["reference"]
    }
    body = render_to_string("recruitment/employer/email/proposal_reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[to])


def proposal_reminders_send(*, today: datetime.date) -> int:
    """E-mail the employer's active users about each proposal due by ``today`` + 2 days (or overdue) that
    was not reminded at its current stage; return how many proposals were reminded.

    Idempotent: a proposal is claimed (``reminded_at`` set by a conditional UPDATE) before its e-mails
    go out, and only by one caller; if sending fails, the claim is undone so the next run tries again.
    An employer without an active user with an address is skipped and not claimed.
    """
    due = list(
        Placement.objects.shared_with_employer()
        .filter(
            stage=Placement.Stage.PROPOSED,
            response_due_on__isnull=False,
            response_due_on__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        )
        .filter(_not_reminded_at_this_stage())
        .select_related("vacancy", "vacancy__employer")
        .order_by("response_due_on", "pk")
    )
    recipients = _recipients({placement.vacancy.employer_id for placement in due})
    sent = 0
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for placement in due:
            addresses = recipients.get(placement.vacancy.employer_id)
            if not addresses:
                continue
            now = timezone.now()
            claimed = (
                Placement.objects.shared_with_employer()  # the consent may have gone meanwhile
                .filter(pk=placement.pk, stage=Placement.Stage.PROPOSED)
                .filter(_not_reminded_at_this_stage())
                .update(reminded_at=now)
            )
            if claimed != 1:
                continue  # another worker has it, or the employer answered meanwhile
            try:
                connection.send_messages([_message(placement, today, address) for address in addresses])
            except Exception:
                logger.exception("proposal reminder not sent", extra={"placement": placement.pk})
                Placement.objects.filter(pk=placement.pk, reminded_at=now).update(
                    reminded_at=placement.reminded_at
                )
                continue
            sent += 1
    return sent


__all__ = ["REMIND_DAYS_BEFORE", "proposal_reminders_send"]
