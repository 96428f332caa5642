"""Browser tests: Playwright driving the system Chromium (installed by scripts/bootstrap.sh with apt-get,
launched by its path; never ``playwright install``), against pytest-django's live server.

Bounded in time: short default timeouts, a few pages per journey.
Set BROWSER_SCREENSHOTS=/some/dir to keep screenshots of the main pages.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def browser(transactional_db: None, live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """A fresh Chromium per test (about a second), started after the database and the live server.

    Playwright's sync API runs an event loop in this thread while it is open, and Django refuses ORM
    calls next to a running loop; the test's own ORM calls (setting up data, checking results) are plain
    synchronous code, so they are allowed for exactly as long as the browser is open.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/bootstrap.sh (it installs chromium with apt-get)")
    with monkeypatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # The live server's request threads close their connection after each request, rather than
        # keeping it (CONN_MAX_AGE) in a keep-alive thread that outlives the test database.
        patch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()
                # With a loop running, Django keeps this thread's connections per async context: the
                # ones the test opened must be closed here, or they outlive the test database.
                connections.close_all()


@pytest.fixture
def screenshots() -> Path | None:
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path
