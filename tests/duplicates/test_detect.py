"""The queue: detection adds open pairs ordered by id, keeps them up to date, never proposes a decided
pair again, leaves restricted and anonymised candidates out; the command and the daily task run it."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from candidates.models import Candidate
from candidates.services import candidate_restrict
from duplicates import selectors
from duplicates.models import DuplicatePair
from duplicates.services import duplicates_detect, pair_reject
from duplicates.tasks import detect_duplicates_task
from tests import factories
from tests.web.world import recruiter_user

pytestmark = pytest.mark.django_db


def _same_person() -> tuple[Candidate, Candidate]:
    born = timezone.localdate() - datetime.timedelta(days=29 * 365)
    first = factories.CandidateFactory.create(given_name="Amina", family_name="Haddad", date_of_birth=born)
    second = factories.CandidateFactory.create(given_name="Haddad", family_name="Amina", date_of_birth=born)
    factories.CandidateFactory.create(given_name="Youssef", family_name="Tazi", date_of_birth=born)
    return first, second


def test_a_probable_duplicate_is_queued_once_with_its_reasons() -> None:
    first, second = _same_person()
    report = duplicates_detect()
    pair = DuplicatePair.objects.get()
    assert (pair.low_id, pair.high_id) == tuple(sorted((first.pk, second.pk)))
    assert pair.status == DuplicatePair.Status.OPEN
    assert pair.reasons == ["name_same", "birth_date_same", "nationality_shared"]
    assert (report.added, report.open) == (1, 1)
    again = duplicates_detect()
    assert (again.added, again.updated, again.withdrawn, again.open) == (0, 0, 0, 1)


def test_a_rejected_pair_is_never_proposed_again() -> None:
    _same_person()
    duplicates_detect()
    pair_reject(pair=DuplicatePair.objects.get(), by=recruiter_user())
    duplicates_detect()
    assert list(DuplicatePair.objects.values_list("status", flat=True)) == [DuplicatePair.Status.REJECTED]


def test_an_open_pair_follows_the_data() -> None:
    first, second = _same_person()
    duplicates_detect()
    Candidate.objects.filter(pk=second.pk).update(email="amina@example.org")
    Candidate.objects.filter(pk=first.pk).update(email=" Amina@Example.org")
    assert duplicates_detect().updated == 1
    assert "email_same" in DuplicatePair.objects.get().reasons
    Candidate.objects.filter(pk=second.pk).update(given_name="Rachid", family_name="Berrada", email="")
    report = duplicates_detect()
    assert (report.withdrawn, report.open) == (1, 0)
    assert not DuplicatePair.objects.exists()


def test_restricted_candidates_are_not_compared() -> None:
    _first, second = _same_person()
    candidate_restrict(candidate=second, by=recruiter_user(), reason="dispute")
    duplicates_detect()
    assert not DuplicatePair.objects.exists()


def test_the_command_and_the_task_fill_the_queue() -> None:
    _same_person()
    out = StringIO()
    call_command("detect_duplicates", stdout=out)
    assert "added 1" in out.getvalue()
    assert "Amina" not in out.getvalue()
    assert detect_duplicates_task.apply().get()["open"] == 1


def test_the_task_runs_daily() -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "duplicates.tasks.detect_duplicates_task" in tasks


def test_withdrawn_candidates_are_not_compared() -> None:
    """Withdrawn (by their agency, or their consent to be visible): hidden from every list, not looked
    for either; an open pair found before the withdrawal leaves the queue at the next run."""
    _first, second = _same_person()
    duplicates_detect()
    assert DuplicatePair.objects.filter(status=DuplicatePair.Status.OPEN).exists()
    Candidate.objects.filter(pk=second.pk).update(
        status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    assert not selectors.open_pairs().exists()
    assert duplicates_detect().withdrawn == 1
    assert not DuplicatePair.objects.exists()
