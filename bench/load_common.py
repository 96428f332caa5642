"""What the load benchmark's modules share: its settings, what it measures, and its progress lines."""

import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a session belongs to a server; load_serving imports this module
    from load_serving import Session

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/talentbrug_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
WORK_DIR = Path(tempfile.gettempdir()) / "talentbrug-load"
BENCH = "bench-load"  # usernames, client ids and the service users of the API clients start with it
CANDIDATE_MARKER = "BENCH-LOAD-"  # external ids of the candidates the bulk upsert creates
EMAIL_DOMAIN = "load.bench.invalid"  # reserved: never delivers
LANGUAGE = "nl"  # the site's default language: the pages are measured under /nl/
SINGLE_SECONDS, SINGLE_REQUESTS = 1.5, 15  # the one-user p50: whichever comes first
# A request unanswered after this long is an error (ReadTimeout), and bounds a page's run: gunicorn
# kills a worker whose request runs longer anyway (its default timeout).
REQUEST_TIMEOUT = 30
# Signing in is not measured, and costs a password hash per user on a machine that may be busy.
SIGN_IN_TIMEOUT, SIGN_IN_THREADS = 180, 3
BULK_SIZE = 100  # candidates per bulk request: the API's maximum
SERVER_START_TIMEOUT = 90
# Not copied: version control, the environment, caches and local data; staticfiles is built in the copy.
COPY_EXCLUDES = (
    *(".git", ".venv", "staticfiles", "media", "db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"),
    "bench/results",
    *("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"),
)


@dataclass(frozen=True)
class Page:
    name: str  # "recruiter:vacancy_detail", "api:/matches/": the key in the JSON
    role: str  # recruiter, employer, partner or api
    path: str


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    totp_key: str = ""  # hex, recruiters only


@dataclass(frozen=True)
class ApiClient:
    client_id: str
    secret: str


@dataclass
class Fixtures:
    """What the run signs in as and requests, chosen from the data (``chosen`` says what, for the log)."""

    password: str
    accounts: dict[str, list[Account]]
    api_clients: list[ApiClient]
    bulk_clients: list[ApiClient]
    pages: list[Page]
    bulk_references: dict[str, Any]
    chosen: list[str] = field(default_factory=list)


@dataclass
class PageFigures:
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p50_single_ms: float = 0.0
    requests_per_s: float = 0.0
    requests: int = 0
    errors: int = 0
    error_statuses: dict[str, int] = field(default_factory=dict)
    queries: int | None = None
    seq_scan: bool = False
    seq_scan_tables: list[str] = field(default_factory=list)


@dataclass
class Server:
    """One served copy of the code: its label, where it runs, and its signed-in users."""

    label: str
    code: Path
    served: Path
    env: dict[str, str]
    base_url: str = ""
    process: subprocess.Popen[bytes] | None = None
    sessions: dict[str, list["Session"]] = field(default_factory=dict)
    bulk_sessions: list["Session"] = field(default_factory=list)
    counted: dict[str, Any] = field(default_factory=dict)  # queries and plans per page
    figures: dict[str, PageFigures] = field(default_factory=dict)
    bulk: dict[str, Any] = field(default_factory=dict)


STARTED = time.monotonic()


def say(label: str, value: str = "") -> None:
    """A progress line, with the seconds since the start (the whole run is meant to stay bounded)."""
    print(f"{time.monotonic() - STARTED:5.0f} s  {label:<44} {value}".rstrip(), flush=True)
