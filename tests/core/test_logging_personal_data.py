"""Logs carry no personal data: an exception is logged by its class (and a database error's SQLSTATE),
with its frames but without its message, from our code, Django and Celery (docs/adr/0009-faults.md)."""

import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from config.celery import app
from core.models import User
from tests import factories

NAME = "Fatima Zahra El Amrani"
PERSON = f"{NAME}, Moroccan"
USERNAME = "fatima.elamrani"
ROOT = Path(__file__).resolve().parents[2]


def _fail_with_a_name() -> None:
    raise ValueError(f"no permit route for {PERSON}")


@app.task(name="tests.core.fail_with_a_name_task")
def fail_with_a_name_task(candidate_id: int, note: str = "") -> None:
    _fail_with_a_name()


def crash(request: HttpRequest) -> HttpResponse:
    _fail_with_a_name()
    return HttpResponse()


urlpatterns = [path("crash/", crash)]


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the handlers of settings.LOGGING write (the console of the web and worker processes)."""
    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert handlers, "settings.LOGGING gives the root logger a console handler"
    output = io.StringIO()
    streams = [h.setStream(output) for h in handlers]
    yield output
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


def _nothing_personal(text: str) -> None:
    assert "Fatima" not in text and "Moroccan" not in text


def test_an_exception_is_logged_by_its_class_and_frames_without_its_message(
    console: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("recruitment.services.recompute")
    try:
        _fail_with_a_name()
    except ValueError as exc:
        logger.exception("recompute of vacancy %s failed", 42)
        logger.warning("recompute of vacancy %s failed: %s", 42, exc)
    for text in (console.getvalue(), caplog.text):
        _nothing_personal(text)
        assert "recompute of vacancy 42 failed" in text
        assert "ValueError" in text
        assert "_fail_with_a_name" in text and __file__ in text  # where it happened, to find the bug
    assert all("Fatima" not in repr(vars(record)) for record in caplog.records)


def test_a_database_error_keeps_its_sqlstate_and_drops_the_row(
    console: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    """psycopg puts the refused row in the message's DETAIL line; Django wraps the error as the cause."""
    logger = logging.getLogger("recruitment.services.recompute")
    refused = psycopg.errors.UniqueViolation(
        'duplicate key value violates unique constraint "match_once_per_pair"\n'
        f"DETAIL:  Key (vacancy_id, candidate_id)=(7, 918273) already exists: {PERSON}, score 87"
    )
    try:
        try:
            raise refused
        except psycopg.Error as exc:
            raise IntegrityError(*exc.args) from exc
    except IntegrityError:
        logger.exception("bulk write failed")
    for text in (console.getvalue(), caplog.text):
        _nothing_personal(text)
        assert "918273" not in text and "DETAIL" not in text
        assert "django.db.utils.IntegrityError (SQLSTATE 23505)" in text
        assert "psycopg.errors.UniqueViolation (SQLSTATE 23505)" in text


def test_a_real_database_error_names_no_values(console: io.StringIO, db: None) -> None:
    """On PostgreSQL the message quotes the duplicate username; SQLite names the column only."""
    existing = factories.UserFactory.create(username=USERNAME)
    try:
        with transaction.atomic():
            User.objects.create(username=USERNAME, role=existing.role, organisation=existing.organisation)
    except IntegrityError:
        logging.getLogger("core.services").exception("could not create the user")
    text = console.getvalue()
    assert "fatima" not in text.lower()
    assert "IntegrityError" in text
    if connection.vendor == "postgresql":
        assert "SQLSTATE 23505" in text


def test_a_failing_task_is_logged_by_class_without_the_message_or_arguments(
    console: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    # Not propagated, as in a worker (an eager task that re-raises is not logged by Celery at all).
    result = fail_with_a_name_task.apply(args=(918273,), kwargs={"note": PERSON}, throw=False)
    assert result.failed()
    failures = [record for record in caplog.records if record.name == "celery.app.trace"]
    assert len(failures) == 1
    message = failures[0].getMessage()
    assert "tests.core.fail_with_a_name_task" in message and "ValueError" in message
    assert PERSON not in repr(vars(failures[0]))  # nor in what a structured formatter could print
    for text in (console.getvalue(), caplog.text):
        _nothing_personal(text)
        assert "918273" not in text
        assert "_fail_with_a_name" in text


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_logged_by_class_without_the_message(
    console: io.StringIO, caplog: pytest.LogCaptureFixture, db: None
) -> None:
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    errors = [record for record in caplog.records if record.name == "django.request"]
    assert len(errors) == 1
    for text in (console.getvalue(), caplog.text):
        _nothing_personal(text)
        assert "Internal Server Error: /crash/" in text and "ValueError" in text


def test_queries_are_logged_without_their_values(console: io.StringIO, db: None) -> None:
    """Django's query log (DEBUG, or a test's query capture) interpolates the parameters into the SQL."""
    logger = logging.getLogger("django.db.backends")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        with CaptureQueriesContext(connection):
            User.objects.filter(username=USERNAME).exists()
    finally:
        logger.setLevel(level)
    assert "query" in console.getvalue()
    assert "fatima" not in console.getvalue()


def test_celery_processes_log_through_the_same_filter() -> None:
    """A worker or beat sets up logging before anything else: it must use settings.LOGGING, not a
    handler of Celery's own that would print exception messages as they are."""
    code = (
        "import logging\n"
        "from config.celery import app\n"
        "app.log.setup_logging_subsystem(loglevel='INFO')\n"
        "try:\n"
        f"    raise ValueError({PERSON!r})\n"
        "except ValueError:\n"
        "    logging.getLogger('celery.app.trace').exception('Task failed')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "Task failed" in output and "ValueError" in output
    _nothing_personal(output)
