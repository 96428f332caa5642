"""No personal data in task arguments, logs or error reports (issue 14, section 3).

The main write paths run with every logger at DEBUG and everything the handlers of ``settings.LOGGING``
write captured, and with every Celery task's arguments recorded as it is sent and as it runs: a partner
registers a candidate through the API (with an idempotency key), the matches are recomputed, cases move
and webhooks are delivered to the partner's endpoint, the candidate withdraws a consent, asks for
erasure and is erased; another candidate is reminded and anonymised by the retention job. Then two
failures carrying personal data in their messages: an e-mail server refusing the address, and a step of
the retention task raising an error that names the person. The person's name, e-mail, phone and date
of birth must appear in none of it.
"""

import datetime
import io
import logging
import smtplib
from collections.abc import Iterator
from typing import Any

import pytest
from celery import current_app
from celery.signals import before_task_publish, task_prerun
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from candidates.models import Candidate
from core.logging import PersonalDataFilter
from privacy.activity import months_before
from privacy.services import erasure_request_create, erasure_request_execute, retention_apply
from privacy.tasks import apply_retention_task
from tests import factories
from tests.privacy.world import CANDIDATES_URL, Person, new_person, touch_everything
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses the address, quoting it in its error (as real servers do)."""

    def send_messages(self, email_messages: Any) -> int:
        address = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({address: (550, f"5.1.1 <{address}>: user unknown".encode())})


@pytest.fixture
def everything_logged() -> Iterator[io.StringIO]:
    """What the handlers of settings.LOGGING write, with every logger at DEBUG (a logger that does not
    propagate gets the same handler and filter)."""
    # Importing the task modules runs django.setup() (Celery's Django fix-up), which configures logging
    # afresh and would replace the handlers captured here: done first (core.jobs does it once, lazily).
    current_app.loader.import_default_modules()
    output = io.StringIO()
    root = logging.getLogger()
    handlers = [handler for handler in root.handlers if type(handler) is logging.StreamHandler]
    assert handlers, "settings.LOGGING gives the root logger a console handler"
    streams = [handler.setStream(output) for handler in handlers]
    loggers = [root, *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    levels = [logger.level for logger in loggers]
    extra = logging.StreamHandler(output)
    extra.addFilter(PersonalDataFilter())
    isolated = [logger for logger in loggers[1:] if not logger.propagate]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in isolated:
        logger.addHandler(extra)
    yield output
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)
    for logger in isolated:
        logger.removeHandler(extra)
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


@pytest.fixture
def task_arguments() -> Iterator[list[str]]:
    """Every task's name and arguments, as sent to the broker and as run (eager tasks are not sent)."""
    seen: list[str] = []

    def published(sender: Any = None, body: Any = None, headers: Any = None, **extra: Any) -> None:
        seen.append(f"publish {sender} {body!r} {headers!r}")

    def running(task: Any = None, args: Any = None, kwargs: Any = None, **extra: Any) -> None:
        seen.append(f"run {task.name} {args!r} {kwargs!r}")

    before_task_publish.connect(published, weak=False)
    task_prerun.connect(running, weak=False)
    yield seen
    before_task_publish.disconnect(published)
    task_prerun.disconnect(running)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def _forms_of(person: Person) -> list[str]:
    born = person.date_of_birth
    return [
        person.given_name,
        person.family_name,
        person.email,
        person.phone,
        person.phone.replace(" ", ""),
        born.isoformat(),
        f"{born:%d/%m/%Y}",
        f"{born:%d.%m.%Y}",
        repr(born),
    ]


def _nothing_of(person: Person, *texts: str) -> None:
    for text in texts:
        for form in _forms_of(person):
            assert form.lower() not in text.lower(), f"{form!r} found"


def test_the_main_write_paths_log_and_queue_no_personal_data(
    everything_logged: io.StringIO,
    task_arguments: list[str],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_commit = django_capture_on_commit_callbacks
    world = touch_everything(receiver, on_commit)
    person, candidate = world.person, world.candidate
    # The candidate withdraws their consent to share with one employer (through their agency's API).
    with on_commit(execute=True):
        response = world.partner.client().patch(
            f"{CANDIDATES_URL}{candidate.public_id}/",
            {
                "consents": [
                    {
                        "purpose": "profile_visibility",
                        "text_version": "2026-01",
                        "granted_at": "2026-01-05T09:00:00Z",
                    }
                ]
            },
            format="json",
        )
    assert response.status_code == 200, response.content
    with on_commit(execute=True):
        erasure = erasure_request_create(candidate=candidate)
    with on_commit(execute=True):
        erasure_request_execute(request=erasure, by=world.officer)

    # Another person, forgotten by the retention job: reminded, then anonymised.
    later = new_person("Z")
    idle = factories.CandidateFactory.create(
        given_name=later.given_name,
        family_name=later.family_name,
        email=later.email,
        phone=later.phone,
        date_of_birth=later.date_of_birth,
    )
    reminded_at = months_before(idle.updated_at, -24) + datetime.timedelta(days=1)
    with on_commit(execute=True):
        assert retention_apply(now=reminded_at, dry_run=False).reminded == [idle.pk]
    with on_commit(execute=True):
        report = retention_apply(now=reminded_at + datetime.timedelta(days=61), dry_run=False)
    assert report.anonymised == [idle.pk]

    # Failures whose messages name the person: an SMTP refusal quoting the address, a failing step.
    third = new_person("Y")
    refused = factories.CandidateFactory.create(
        given_name=third.given_name, family_name=third.family_name, email=third.email, phone=third.phone
    )
    # Inactive for a little more than the period: due for a reminder, not yet for the anonymisation.
    Candidate.objects.filter(pk=refused.pk).update(updated_at=reminded_at - datetime.timedelta(days=740))
    with override_settings(EMAIL_BACKEND="tests.privacy.test_no_personal_data_in_logs.RefusingBackend"):
        smtp_refused = retention_apply(now=reminded_at, dry_run=False)
    assert (smtp_refused.reminded, smtp_refused.anonymised) == ([], [])

    def fail(*, candidate: Candidate, **kwargs: Any) -> None:
        raise ValueError(f"cannot erase {third.given_name} {third.family_name} <{third.email}>")

    monkeypatch.setattr("privacy.services.retention.candidate_erase", fail)
    # Without an address now (no reminder to wait for): the task goes straight to the failing step.
    Candidate.objects.filter(pk=refused.pk).update(
        email="", updated_at=reminded_at - datetime.timedelta(days=900)
    )
    with override_settings(RETENTION_INACTIVE_MONTHS=1, RETENTION_REMINDER_GRACE_DAYS=0):
        assert apply_retention_task.delay().get()["failed"] >= 1

    logged = everything_logged.getvalue()
    tasks = "\n".join(task_arguments)
    # The capture works: it holds what these paths log and queue.
    assert (
        "erased" in logged and "retention" in logged and "not sent (smtplib.SMTPRecipientsRefused)" in logged
    )
    assert "retention step failed for candidate" in logged and "ValueError" in logged
    assert "recompute_candidate_matches_task" in tasks and "deliver_webhook_task" in tasks
    for someone in (person, later, third):
        _nothing_of(someone, logged, tasks)
