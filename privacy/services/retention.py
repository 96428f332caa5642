"""The retention job (GDPR art. 5(1)(e), storage limitation): run daily by celery beat
(``privacy.tasks.apply_retention_task``) and by operators (``manage.py apply_retention``, dry unless
``--wet-run``).

Three steps, each idempotent, in this order:

1. **Remind** every candidate inactive for ``RETENTION_INACTIVE_MONTHS`` (``privacy.activity``) who has
   an e-mail address and was not reminded since their last activity: an e-mail in their language saying
   that their data will be anonymised after ``RETENTION_REMINDER_GRACE_DAYS`` unless they act. The
   ``RetentionReminder`` row is the claim (unique per candidate and last activity): two runs send once;
   a failed e-mail gives the claim back, and the next run tries again.
2. **Anonymise** every candidate inactive for the period plus the grace days, unless a reminder about
   this inactivity went out less than the grace days ago (a job that did not run for a while reminds
   first, and waits). The same code path as an erasure (``candidate_erase``, asked by "retention"),
   each candidate in a transaction of their own, after checking under their row lock that they are
   still inactive (a sign-in a moment ago wins).
3. **Prune** the ended unsuccessful cases (closed before the permit, ``privacy.holds``) whose last move
   is older than the period: the funnel steps they proved are kept (``RetainedFunnelStep``), then the
   case goes with its moves, notes, interview slots and webhook events.

Restricted candidates are left alone by all three: a restriction is a person's deliberate decision to
keep the data as it is (a pending erasure request, a dispute) and is reviewed by staff. Not so a
restriction that only records that the candidate withdrew their consent to be visible: storage
limitation applies to them as to anyone. Anonymised candidates have nothing left to remind or prune.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from candidates.models import Candidate, CandidateRestriction
from candidates.models.restriction import RestrictionSource
from core.logging import exception_summary
from privacy.activity import LastActivity, months_before, with_last_activity
from privacy.holds import ended_unsuccessfully
from privacy.models import RequestedBy, RetentionReminder
from privacy.services.erasure import candidate_erase, events_naming
from recruitment.models import Placement
from recruitment.services.funnel_retention import funnel_steps_retain
from webhooks.models import WebhookEvent

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    Subject = WithAnnotations[Candidate, LastActivity]
else:
    Subject = Candidate

logger = logging.getLogger(__name__)
T = TypeVar("T", Candidate, Placement)

# Statuses the job works on: an anonymised candidate has nothing left; a restricted one is kept as they
# are, unless the restriction only records that they withdrew their consent to be visible (``_subject``).
SUBJECT_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.WITHDRAWN, Candidate.Status.PLACED)


def _subject(prefix: str = "") -> Q:
    """Candidates (or, with ``prefix`` "candidate__", the rows of candidates) the job works on. A
    restriction set by staff or asked for by the candidate (an erasure pending, a dispute) is a person's
    decision to keep the data as it is; one set because the candidate withdrew their consent to be
    visible is no such decision, and their data is not kept longer for it."""
    visibility_only = CandidateRestriction.objects.filter(
        candidate=OuterRef(f"{prefix}pk"),
        lifted_at__isnull=True,
        source=RestrictionSource.VISIBILITY_WITHDRAWN,
    )
    return Q(**{f"{prefix}status__in": SUBJECT_STATUSES}) | (
        Q(**{f"{prefix}status": Candidate.Status.RESTRICTED}) & Q(Exists(visibility_only))
    )


@dataclass(frozen=True)
class RetentionPolicy:
    """The periods, read from settings (config/settings/base.py) unless a caller gives its own."""

    inactive_months: int
    grace_days: int

    @classmethod
    def from_settings(cls) -> "RetentionPolicy":
        months, grace = settings.RETENTION_INACTIVE_MONTHS, settings.RETENTION_REMINDER_GRACE_DAYS
        # A zero period would remind and anonymise everyone on the next run: refuse it outright.
        if months < 1 or grace < 0:
            raise ImproperlyConfigured(
                "RETENTION_INACTIVE_MONTHS must be at least 1 and RETENTION_REMINDER_GRACE_DAYS at least 0."
            )
        return cls(inactive_months=months, grace_days=grace)

    def inactive_before(self, now: datetime.datetime) -> datetime.datetime:
        """Last activity at or before this moment: inactive for the whole period."""
        return months_before(now, self.inactive_months)

    @property
    def grace(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.grace_days)


@dataclass
class RetentionReport:
    """What one run did, or would do when dry: ids only (it is printed and logged)."""

    dry_run: bool
    reminded: list[int] = field(default_factory=list)  # candidate ids
    anonymised: list[int] = field(default_factory=list)  # candidate ids
    pruned: list[int] = field(default_factory=list)  # placement ids
    failed: list[int] = field(default_factory=list)  # candidate or placement ids whose step failed


def _subjects() -> QuerySet[Subject]:
    return with_last_activity(Candidate.objects.filter(_subject()))


def _reminded_since_last_activity(**extra: object) -> Exists:
    return Exists(
        RetentionReminder.objects.filter(
            candidate=OuterRef("pk"), sent_at__gte=OuterRef("last_activity"), **extra
        )
    )


def reminders_due(*, now: datetime.datetime, policy: RetentionPolicy) -> QuerySet[Subject]:
    """Candidates to remind now, oldest activity first."""
    return (
        _subjects()
        .filter(last_activity__lte=policy.inactive_before(now))
        .exclude(email="")
        .exclude(_reminded_since_last_activity())
        .order_by("last_activity", "pk")
    )


def anonymisations_due(*, now: datetime.datetime, policy: RetentionPolicy) -> QuerySet[Subject]:
    """Candidates to anonymise now: inactive for the period and the grace days, and not reminded less
    than the grace days ago."""
    return (
        _subjects()
        .filter(last_activity__lte=policy.inactive_before(now) - policy.grace)
        .exclude(_reminded_since_last_activity(sent_at__gt=now - policy.grace))
        .order_by("last_activity", "pk")
    )


def prunable_cases(*, now: datetime.datetime, policy: RetentionPolicy) -> QuerySet[Placement]:
    """Ended unsuccessful cases whose last move is older than the period (a restricted candidate's
    cases excepted)."""
    return (
        Placement.objects.filter(ended_unsuccessfully(), stage_changed_at__lte=policy.inactive_before(now))
        .filter(_subject("candidate__"))
        .order_by("stage_changed_at", "pk")
    )


def _language(candidate: Candidate) -> str:
    return candidate.preferred_language if candidate.preferred_language in dict(settings.LANGUAGES) else "en"


def _reminder_message(
    candidate: Candidate, *, anonymise_on: datetime.datetime, policy: RetentionPolicy
) -> EmailMessage:
    with translation.override(_language(candidate)):
        context = {
            "candidate": candidate,
            "months": policy.inactive_months,
            "anonymise_on": formats.date_format(anonymise_on.date(), "DATE_FORMAT"),
            "url": f"{settings.SITE_URL}{reverse('me:home')}",
        }
        subject = gettext("Talentbrug: do you still want us to keep your profile?")
        body = render_to_string("privacy/email/retention_reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[candidate.email])


def _remind(candidate: Subject, *, now: datetime.datetime, policy: RetentionPolicy) -> bool:
    """Claim, then send; a failed e-mail gives the claim back. True when this call sent it."""
    reminder, created = RetentionReminder.objects.get_or_create(
        candidate=candidate, inactive_since=candidate.last_activity, defaults={"sent_at": now}
    )
    if not created:
        return False  # another run has it
    try:
        _reminder_message(candidate, anonymise_on=now + policy.grace, policy=policy).send()
    except Exception as exc:  # the address, the server: by class only (an SMTP reply may quote the address)
        reminder.delete()
        logger.warning(
            "retention reminder to candidate %s not sent (%s)", candidate.pk, exception_summary(exc)
        )
        return False
    return True


def _anonymise(candidate: Candidate, now: datetime.datetime, policy: RetentionPolicy) -> bool:
    with transaction.atomic():
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        if not anonymisations_due(now=now, policy=policy).filter(pk=candidate.pk).exists():
            return False  # active again (or restricted) since the list was read
        candidate_erase(candidate=candidate, kind=RequestedBy.RETENTION, now=now)
    return True


def _prune(placement: Placement, now: datetime.datetime, policy: RetentionPolicy) -> bool:
    with transaction.atomic():
        current = (
            prunable_cases(now=now, policy=policy)
            .select_for_update(of=("self",))
            .select_related("candidate")
            .filter(pk=placement.pk)
            .first()
        )
        if current is None:
            return False  # moved or handled meanwhile
        funnel_steps_retain(candidate=current.candidate, placement_ids=[current.pk], now=now)
        events = events_naming(
            organisation_id=current.candidate.registered_by_id, references=[str(current.public_id)]
        )
        WebhookEvent.objects.filter(pk__in=list(events.values_list("pk", flat=True))).delete()
        current.delete()
    return True


def retention_apply(
    *, now: datetime.datetime, dry_run: bool = True, policy: RetentionPolicy | None = None
) -> RetentionReport:
    """Remind, anonymise and prune as of ``now`` (see the module's docstring); with ``dry_run``, only
    say what would be done. Each candidate and case is handled on its own: one failure is logged (ids
    and the exception's class) and reported, and the others go on."""
    policy = policy or RetentionPolicy.from_settings()
    report = RetentionReport(dry_run=dry_run)
    due_for_reminder: set[int] = set()
    for candidate in reminders_due(now=now, policy=policy):
        due_for_reminder.add(candidate.pk)
        if dry_run or _remind(candidate, now=now, policy=policy):
            report.reminded.append(candidate.pk)
    # Reminded in this run (or, dry, to be), and those whose reminder could not be sent (tried again on
    # the next run): they wait for the grace days like everyone else. Anonymisation cannot be undone;
    # a mail server down for a day must not turn the reminder into an anonymisation without warning.
    for candidate in anonymisations_due(now=now, policy=policy).exclude(pk__in=due_for_reminder):
        _step(
            report, report.anonymised, "candidate", candidate.pk, dry_run, _anonymise, candidate, now, policy
        )
    for placement in prunable_cases(now=now, policy=policy):
        _step(report, report.pruned, "case", placement.pk, dry_run, _prune, placement, now, policy)
    logger.info(
        "retention %s: %s reminded, %s anonymised, %s cases pruned, %s failed",
        "dry run" if dry_run else "run",
        len(report.reminded),
        len(report.anonymised),
        len(report.pruned),
        len(report.failed),
    )
    return report


def _step(
    report: RetentionReport,
    done: list[int],
    what: str,
    pk: int,
    dry_run: bool,
    action: Callable[[T, datetime.datetime, RetentionPolicy], bool],
    subject: T,
    now: datetime.datetime,
    policy: RetentionPolicy,
) -> None:
    if dry_run:
        done.append(pk)
        return
    try:
        if action(subject, now, policy):
            done.append(pk)
    except Exception as exc:  # one candidate's failure must not stop the others' retention
        report.failed.append(pk)
        logger.error("retention step failed for %s %s (%s)", what, pk, exception_summary(exc))


__all__ = [
    "RetentionPolicy",
    "RetentionReport",
    "anonymisations_due",
    "prunable_cases",
    "reminders_due",
    "retention_apply",
]
