"""The production settings are safe as they stand, and environment variables are read strictly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "talentbrug.example.org",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    result = _manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.base"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_have_debug_off_and_no_hosts_by_default() -> None:
    code = "from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE)"
    clean = {k: v for k, v in os.environ.items() if k not in {"ALLOWED_HOSTS"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SECRET_KEY": secrets.token_urlsafe(60),
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False [] True"


@pytest.mark.parametrize("raw", ["yes", "1", "True", "on"])
def test_booleans_are_exactly_true_or_false(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", default=False)


def test_env_readers_parse_and_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("A_FLAG", "true")
    monkeypatch.setenv("A_NUMBER", "12")
    monkeypatch.setenv("SOME_HOSTS", "a.example, b.example ,")
    monkeypatch.delenv("UNSET_NUMBER", raising=False)
    assert env_bool("A_FLAG", default=False) is True
    assert env_int("A_NUMBER", default=3) == 12
    assert env_int("UNSET_NUMBER", default=3) == 3
    assert env_list("SOME_HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("A_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="A_NUMBER"):
        env_int("A_NUMBER", default=3)


def _dev_settings_print(code: str, env: dict[str, str]) -> str:
    """What ``code`` prints in a fresh process with Django set up from ``env``."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_services_follow_the_environment() -> None:
    """Embedded default without URLs; PostgreSQL and a Redis broker (cache in another database) with them."""
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, "
        "s.CACHES['default'].get('LOCATION', '-'))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL"}}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"

    def run(extra: dict[str, str]) -> str:
        return _dev_settings_print(code, {**base, **extra})

    assert run({}) == "django.db.backends.sqlite3 memory:// True -"
    assert run(
        {"DATABASE_URL": "postgres://u@db.example:5432/tb", "REDIS_URL": "redis://cache.example:6379/0"}
    ) == ("django.db.backends.postgresql redis://cache.example:6379/0 False redis://cache.example:6379/1")


def test_the_development_server_shows_the_sites_own_404_unless_debug_is_asked_for() -> None:
    """`make run` (config.settings.dev) answers a wrong address with the site's page (issue 12, item 16)."""
    code = (
        "from django.conf import settings as s; from django.test import Client; "
        "r = Client().get('/en/no-such-page/'); print(s.DEBUG, r.status_code, 'URLconf' in r.text)"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"

    def run(extra: dict[str, str]) -> str:
        return _dev_settings_print(code, {**base, **extra})

    assert run({}) == "False 404 False"
    assert run({"DEBUG": "true"}) == "True 404 True"
