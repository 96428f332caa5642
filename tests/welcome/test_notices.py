"""Telling candidates by e-mail when new pages apply: once per page version, in their language, never
for what they read, never twice when two senders race, and again after a failed send."""

import inspect
import smtplib
import socket
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from candidate_space.models import CandidateAccount
from recruitment.workflow import Stage
from tests.welcome.helpers import case, client_of, no_seeded_pages, page, publish, reader
from welcome.models import PageNotice
from welcome.services import welcome_notice_send, welcome_notices_due, welcome_notices_send
from welcome.tasks import send_welcome_notices_task

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_new_candidate_is_told_once_of_the_pages_of_their_stage() -> None:
    candidate = reader(email="amina@example.org")
    send_welcome_notices_task.delay()
    send_welcome_notices_task.delay()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert "Learn Dutch online before you leave" in message.body
    assert "/en/me/welcome/" in message.body
    assert PageNotice.objects.filter(candidate=candidate).count() == 4  # the example pages before departure


def test_the_email_is_in_the_candidates_language_and_english_for_others() -> None:
    reader(email="fatou@example.org", language="fr")
    reader(email="anil@example.org", language="ml")
    welcome_notices_send()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Apprenez le néerlandais en ligne avant le départ" in bodies["fatou@example.org"]
    assert "/fr/me/welcome/" in bodies["fatou@example.org"]
    assert "Learn Dutch online before you leave" in bodies["anil@example.org"]


def test_reaching_a_new_stage_tells_only_of_the_new_pages() -> None:
    no_seeded_pages()
    page("dutch", "before_departure")
    page("housing", "on_arrival")
    page("rights", "after_starting")
    candidate = reader()
    placement = case(candidate, Stage.PROPOSED)
    assert welcome_notices_send() == 1
    placement.stage = Stage.STARTED
    placement.save(update_fields=["stage"])
    assert welcome_notices_send() == 1
    assert "housing en" in mail.outbox[1].body and "rights en" in mail.outbox[1].body
    assert "dutch en" not in mail.outbox[1].body
    assert welcome_notices_send() == 0


def test_a_new_version_of_a_page_they_read_is_told_as_updated() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    page("civics", "before_departure")
    candidate = reader()
    client_of(candidate).get(reverse("me_welcome:page", kwargs={"public_id": target.public_id}))
    assert welcome_notices_send() == 1  # civics only: dutch was read
    assert "civics en" in mail.outbox[0].body and "dutch en" not in mail.outbox[0].body
    publish(target, "en", title="dutch en, second edition")
    assert welcome_notices_send() == 1
    assert "dutch en, second edition (updated)" in mail.outbox[1].body
    assert "civics" not in mail.outbox[1].body


def test_nobody_is_told_of_what_they_read_nor_without_an_active_account_or_address() -> None:
    no_seeded_pages()
    target = page("dutch", "before_departure")
    has_read = reader()
    client_of(has_read).get(reverse("me_welcome:page", kwargs={"public_id": target.public_id}))
    reader(active=False)
    reader(status="withdrawn", withdrawn_at="2026-01-01T00:00:00Z")
    no_address = reader()
    user = CandidateAccount.objects.get(candidate=no_address).user
    user.email = ""
    user.save(update_fields=["email"])
    assert welcome_notices_due() == {}
    assert welcome_notices_send() == 0
    assert mail.outbox == []


def test_when_another_sender_claimed_first_nothing_is_sent_twice() -> None:
    no_seeded_pages()
    page("dutch", "before_departure")
    page("civics", "before_departure")
    candidate = reader()
    due = welcome_notices_due()[candidate.pk]
    # Another worker claims (and sends) one of the pages between this worker's read and its claim.
    assert welcome_notice_send(candidate_id=candidate.pk, version_ids=due[:1]) is True
    assert welcome_notice_send(candidate_id=candidate.pk, version_ids=due) is False
    assert len(mail.outbox) == 1
    # The rest goes out on the next run.
    assert welcome_notices_send() == 1
    assert PageNotice.objects.filter(candidate=candidate).count() == 2


def test_a_failed_send_gives_the_claim_back_and_the_next_run_sends(settings: Any) -> None:
    no_seeded_pages()
    page("dutch", "before_departure")
    candidate = reader()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    assert welcome_notices_send() == 0  # the mail server is down: logged, nothing claimed
    assert not PageNotice.objects.filter(candidate=candidate).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert welcome_notices_send() == 1
    assert len(mail.outbox) == 1


class RefusingBackend:
    """A mail server that refuses every address with the reply ``REPLY`` (set by the test)."""

    REPLY = (550, b"no such user")

    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({message.to[0]: self.REPLY for message in messages})


@pytest.mark.parametrize(("code", "kept"), [(550, True), (450, False)])
def test_an_address_refused_for_good_keeps_the_claim_and_one_refused_for_now_gives_it_back(
    settings: Any, code: int, kept: bool
) -> None:
    no_seeded_pages()
    page("dutch", "before_departure")
    candidate = reader()
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.REPLY = (code, b"refused")
    assert welcome_notices_send() == 0
    assert PageNotice.objects.filter(candidate=candidate).exists() is kept
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert welcome_notices_send() == (0 if kept else 1)  # a mailbox full today takes it tomorrow


def test_the_task_carries_nothing_personal_and_beat_runs_it_hourly() -> None:
    assert list(inspect.signature(send_welcome_notices_task.run).parameters) == []
    schedule: dict[str, Any] = django_settings.CELERY_BEAT_SCHEDULE["send-welcome-notices"]
    assert schedule["task"] == send_welcome_notices_task.name
    assert schedule["schedule"].minute == {15}
    assert schedule["schedule"].hour == set(range(24))


def test_the_email_names_no_case_and_no_employer() -> None:
    no_seeded_pages()
    page("permit", "offer_permit")
    candidate = reader()
    placement = case(candidate, Stage.OFFER, revealed=True)
    with translation.override("en"):
        welcome_notices_send()
    body = mail.outbox[0].body
    assert placement.vacancy.title not in body
    assert placement.vacancy.employer.name not in body
    assert candidate.family_name not in body


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_candidate_send_one_email() -> None:
    """On PostgreSQL, two senders claim the same notices at the same moment: the unique pair lets one
    insert them, the other's insert fails, and exactly one e-mail goes out."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    no_seeded_pages()
    page("dutch", "before_departure")
    candidate = reader()
    due = welcome_notices_due()[candidate.pk]
    start = Barrier(2)

    def send() -> bool:
        try:
            start.wait(timeout=10)
            return welcome_notice_send(candidate_id=candidate.pk, version_ids=due)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: send(), range(2)))
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert PageNotice.objects.filter(candidate=candidate).count() == 1
