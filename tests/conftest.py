"""Shared test configuration.

Tests marked ``services`` need the real PostgreSQL and Redis. Without them they are skipped on a
developer's laptop, but with REQUIRE_SERVICES=1 (the second CI run) a missing service is a failure:
CI must never go green by skipping the tests that matter most.
"""

import os
from collections.abc import Iterator

import pytest
from django.conf import settings


def _services_available() -> str | None:
    """None when PostgreSQL and Redis are configured, else the reason they are not."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL does not point to PostgreSQL"
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("services") is None:
        return
    reason = _services_available()
    if reason is None:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_matching_snapshots() -> Iterator[None]:
    """Each test starts with empty worker snapshots (recruitment/snapshot.py): a rolled-back test leaves
    ids that the next one's rows may take again."""
    from recruitment.snapshot import snapshots_clear

    snapshots_clear()
    yield
    snapshots_clear()


@pytest.fixture(autouse=True)
def _fresh_explanations() -> Iterator[None]:
    """Each test starts with no kept explanation (recruitment.explanation_fragments): their keys carry the
    match's write time, but a rolled-back test leaves ids the next one's rows may take again."""
    from django.core.cache import caches

    caches["explanations"].clear()
    yield
