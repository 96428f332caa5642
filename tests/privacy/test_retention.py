"""The retention job against a clock moved forward (``now`` passed in): inactive candidates reminded once
in their language, anonymised after the grace days unless active again, ended unsuccessful cases pruned,
the funders' funnel unchanged; the operator command dry by default."""

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from candidate_space.models import CandidateAccount
from candidates.models import Candidate
from candidates.models.restriction import RestrictionSource
from candidates.services.restriction import candidate_restrict
from core.models import User
from privacy.activity import months_before
from privacy.models import ErasureRequest, RetentionReminder
from privacy.services import retention_apply
from privacy.services.requests import erasure_request_create
from privacy.services.retention import RetentionPolicy
from privacy.tasks import apply_retention_task
from recruitment.models import Placement
from recruitment.selectors import funnel
from tests import factories
from tests.recruitment.test_funnel import build_funnel_world

pytestmark = pytest.mark.django_db

POLICY = RetentionPolicy(inactive_months=24, grace_days=60)
DAY = datetime.timedelta(days=1)


def _in(months: int, days: int = 0) -> datetime.datetime:
    """A moment ``months`` and ``days`` from now (the clock moved forward)."""
    return months_before(timezone.now(), -months) + datetime.timedelta(days=days)


def _candidate(**fields: Any) -> Candidate:
    fields.setdefault("email", "person@example.org")
    return factories.CandidateFactory.create(**fields)


def test_the_months_arithmetic_keeps_the_end_of_the_month() -> None:
    moment = datetime.datetime(2028, 3, 31, 12, tzinfo=datetime.UTC)
    assert months_before(moment, 1) == datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC)
    assert months_before(moment, 24) == datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)
    assert months_before(moment, -11) == datetime.datetime(2029, 2, 28, 12, tzinfo=datetime.UTC)


def test_an_inactive_candidate_is_reminded_once_in_their_language() -> None:
    candidate = _candidate(preferred_language="fr")
    assert retention_apply(now=_in(23, 27), dry_run=False, policy=POLICY).reminded == []
    assert mail.outbox == []

    report = retention_apply(now=_in(24, 1), dry_run=False, policy=POLICY)
    assert report.reminded == [candidate.pk] and report.anonymised == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [candidate.email]
    assert "/fr/me/" in message.body  # the link into their space, in their language
    reminder = RetentionReminder.objects.get(candidate=candidate)
    assert reminder.inactive_since == candidate.updated_at

    assert retention_apply(now=_in(24, 2), dry_run=False, policy=POLICY).reminded == []
    assert len(mail.outbox) == 1


def test_a_language_the_site_does_not_speak_gets_english() -> None:
    _candidate(preferred_language="ar")
    retention_apply(now=_in(24, 1), dry_run=False, policy=POLICY)
    assert "/en/me/" in mail.outbox[0].body


def test_anonymised_after_the_grace_days_unless_active_again() -> None:
    idle = _candidate()
    back = _candidate(email="back@example.org")
    user = User.objects.create_user(username="back@example.org", role=User.Role.CANDIDATE)
    CandidateAccount.objects.create(
        user=user, candidate=back, invited_at=timezone.now(), activated_at=timezone.now()
    )
    reminded_at = _in(24, 1)
    assert set(retention_apply(now=reminded_at, dry_run=False, policy=POLICY).reminded) == {idle.pk, back.pk}
    # "back" signs in to their space five days after the reminder.
    User.objects.filter(pk=user.pk).update(last_login=reminded_at + 5 * DAY)

    assert retention_apply(now=reminded_at + 59 * DAY, dry_run=False, policy=POLICY).anonymised == []
    report = retention_apply(now=reminded_at + 61 * DAY, dry_run=False, policy=POLICY)
    assert report.anonymised == [idle.pk]
    idle.refresh_from_db()
    assert idle.status == Candidate.Status.ANONYMISED and idle.email == ""
    request = ErasureRequest.objects.get(candidate=idle)
    assert (request.requested_by_kind, request.status, request.decided_by) == ("retention", "executed", None)
    back.refresh_from_db()
    assert back.status == Candidate.Status.ACTIVE
    # Their new period of inactivity runs from the sign-in: a new reminder 24 months after it.
    assert retention_apply(
        now=months_before(reminded_at + 5 * DAY, -24) + DAY, dry_run=False, policy=POLICY
    ).reminded == [back.pk]


def test_without_an_e_mail_there_is_no_reminder_and_the_anonymisation_waits_the_same() -> None:
    candidate = _candidate(email="")
    assert retention_apply(now=_in(24, 1), dry_run=False, policy=POLICY).reminded == []
    assert retention_apply(now=_in(24, 59), dry_run=False, policy=POLICY).anonymised == []
    assert retention_apply(now=_in(24, 61), dry_run=False, policy=POLICY).anonymised == [candidate.pk]


def test_a_job_that_did_not_run_reminds_first_and_waits() -> None:
    """Nothing ran for three years: the candidate is reminded now and anonymised only after the grace."""
    candidate = _candidate()
    first = retention_apply(now=_in(36), dry_run=False, policy=POLICY)
    assert (first.reminded, first.anonymised) == ([candidate.pk], [])
    assert retention_apply(now=_in(36, 30), dry_run=False, policy=POLICY).anonymised == []
    assert retention_apply(now=_in(36, 61), dry_run=False, policy=POLICY).anonymised == [candidate.pk]


class _MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail server is down")


def test_a_reminder_that_could_not_be_sent_is_not_an_anonymisation_without_warning() -> None:
    """Nothing ran for three years and the mail server is down on the first run: the candidate is not
    anonymised unwarned; the next run reminds them, and the grace days run from then."""
    candidate = _candidate()
    with override_settings(EMAIL_BACKEND=f"{__name__}._MailServerDown"):
        down = retention_apply(now=_in(36), dry_run=False, policy=POLICY)
    assert (down.reminded, down.anonymised) == ([], [])
    assert Candidate.objects.get(pk=candidate.pk).status == Candidate.Status.ACTIVE
    assert not RetentionReminder.objects.exists()

    up = retention_apply(now=_in(36, 1), dry_run=False, policy=POLICY)
    assert (up.reminded, up.anonymised) == ([candidate.pk], [])
    assert retention_apply(now=_in(36, 30), dry_run=False, policy=POLICY).anonymised == []
    assert retention_apply(now=_in(36, 62), dry_run=False, policy=POLICY).anonymised == [candidate.pk]


def test_a_restricted_candidate_is_left_alone() -> None:
    candidate = _candidate()
    erasure_request_create(candidate=candidate)  # restricts them, until staff decide
    report = retention_apply(now=_in(30), dry_run=False, policy=POLICY)
    assert (report.reminded, report.anonymised) == ([], [])
    assert Candidate.objects.get(pk=candidate.pk).status == Candidate.Status.RESTRICTED


def test_a_candidate_who_only_withdrew_their_visibility_is_not_kept_longer() -> None:
    candidate = _candidate()
    candidate_restrict(
        candidate=candidate,
        reason="Visibility withdrawn in their space.",
        source=RestrictionSource.VISIBILITY_WITHDRAWN,
    )
    assert retention_apply(now=_in(24, 1), dry_run=False, policy=POLICY).reminded == [candidate.pk]
    assert retention_apply(now=_in(24, 62), dry_run=False, policy=POLICY).anonymised == [candidate.pk]


def test_pruning_and_anonymising_keep_the_funders_funnel() -> None:
    world = build_funnel_world()
    project = world.project
    views = [None, world.cohort_1, world.cohort_2]
    before = [funnel.project_funnel(project=project, cohort=cohort) for cohort in views]
    declined_case = Placement.objects.get(candidate=world.declined)

    first = retention_apply(now=_in(24, 1), dry_run=False, policy=POLICY)
    assert declined_case.pk in first.pruned
    assert not Placement.objects.filter(pk=declined_case.pk).exists()
    assert [funnel.project_funnel(project=project, cohort=cohort) for cohort in views] == before

    later = retention_apply(now=_in(24, 62), dry_run=False, policy=POLICY)
    assert world.started.pk in later.anonymised and world.trained_and_matched.pk in later.anonymised
    assert [funnel.project_funnel(project=project, cohort=cohort) for cohort in views] == before
    # The case that went to work is kept (without identity); nothing else of theirs.
    assert list(Placement.objects.filter(candidate=world.started).values_list("stage", flat=True)) == [
        "started"
    ]


def test_a_recent_or_held_case_is_not_pruned() -> None:
    world = build_funnel_world()
    declined_case = Placement.objects.get(candidate=world.declined)
    assert retention_apply(now=_in(23), dry_run=False, policy=POLICY).pruned == []
    assert Placement.objects.filter(pk=declined_case.pk).exists()
    outsider_case = Placement.objects.get(candidate=world.outsider)
    Placement.objects.filter(pk=outsider_case.pk).update(stage=Placement.Stage.ENDED, reason="contract_ended")
    assert outsider_case.pk not in retention_apply(now=_in(25), dry_run=False, policy=POLICY).pruned
    assert Placement.objects.filter(pk=outsider_case.pk).exists()  # it went to work: a legal hold


def test_the_command_is_dry_unless_told_to_write() -> None:
    world = build_funnel_world()
    moment = _in(24, 1).isoformat()
    counts = (Placement.objects.count(), RetentionReminder.objects.count(), len(mail.outbox))
    out = StringIO()
    call_command("apply_retention", "--now", moment, stdout=out)
    assert (Placement.objects.count(), RetentionReminder.objects.count(), len(mail.outbox)) == counts
    text = out.getvalue()
    assert "dry run" in text and "Would prune 1 case(s)" in text and "--wet-run" in text
    assert world.declined.family_name not in text  # ids only

    out = StringIO()
    call_command("apply_retention", "--now", moment, "--wet-run", stdout=out)
    assert "Pruned 1 case(s)" in out.getvalue()
    assert Placement.objects.count() == counts[0] - 1
    assert RetentionReminder.objects.count() > 0 and len(mail.outbox) > 0


def test_the_command_refuses_a_moment_without_a_time_zone() -> None:
    with pytest.raises(Exception, match="time zone"):
        call_command("apply_retention", "--now", "2030-01-01T03:00")


@override_settings(RETENTION_INACTIVE_MONTHS=1, RETENTION_REMINDER_GRACE_DAYS=0)
def test_the_daily_task_reads_the_settings_and_runs_wet() -> None:
    candidate = _candidate()
    # updated_at is set on save: moved back with an UPDATE, as two months of silence would leave it.
    Candidate.objects.filter(pk=candidate.pk).update(updated_at=timezone.now() - 62 * DAY)
    result = apply_retention_task.delay().get()
    assert result["reminded"] == 1 and result["anonymised"] == 0
    assert len(mail.outbox) == 1


@override_settings(RETENTION_INACTIVE_MONTHS=0)
def test_a_period_of_zero_months_is_refused_before_anything_is_written() -> None:
    _candidate()
    with pytest.raises(ImproperlyConfigured):
        retention_apply(now=timezone.now(), dry_run=False)
    assert mail.outbox == [] and not RetentionReminder.objects.exists()
