"""Load benchmark of the pages and the partner API on a national database (issue 11: 150 ms at p95 with
20 users at 100k candidates). Figures are printed, never asserted.

What it does, in order:
1. Code: the checkout (``--code``, default this one) is copied to /tmp, its catalogues compiled and its
   static files collected, as the production image does. Everything below runs from that copy: others
   may change the checkout meanwhile, and the schema, the data and the served code must be of one moment.
2. Data: a PostgreSQL database at ``--candidates`` (created if missing), seeded with ``seed_demo`` (which
   computes every open vacancy's matches) unless it already holds that many demo candidates; stale matches
   (a new day, say) are recomputed here, so every page reads a fully computed database. Then
   ``VACUUM (ANALYZE)``: fresh statistics, as autovacuum leaves them in production.
3. Accounts: ``--users`` bench users per role, created with the ORM for this run and deleted at its end:
   recruiters (each with its own TOTP device: staff must give a second factor, and a code works once per
   device), employer users of the employer with the most proposals, partner users and partner API clients
   (OAuth2 client credentials, one per simulated system) of the partner that registered most candidates.
4. Serving: ``gunicorn config.wsgi`` with 3 sync workers (the Dockerfile's command) and the production
   settings (``config.settings.base``) unchanged, on loopback. Plain http with ``X-Forwarded-Proto: https``,
   as a TLS-terminating proxy sends it (``SECURE_PROXY_SSL_HEADER``); the Secure cookies are therefore
   kept by this script. Redis (``--redis-url``, a database of the bench's own, flushed) is the cache and
   the broker; no Celery worker runs, so the recomputes the bulk upsert queues just wait there.
5. Sign-in: every simulated user signs in through the real pages (password, then TOTP for recruiters);
   each API client gets its own token. One session per simulated user.
6. Per page: one user alone for a moment (its p50), then ``--users`` threads request the page for
   ``--seconds``, back to back (or ``--think`` seconds apart): p50 and p95 latency, requests per second,
   and every answer other than 200 counted as an error (a request unanswered after 30 s included).
7. Queries per page: in a separate process on the same copy of the code, Django's test client requests
   each page once warm, as the same kind of user, under ``CaptureQueriesContext``; every captured SELECT is
   then ``EXPLAIN``ed with its parameters. ``seq_scan_tables`` names the tables of at least 10,000 rows
   a plan reads sequentially (the planner rightly reads a smaller one whole); ``seq_scan`` is true when
   one of them is recruitment_match, candidates_candidate or recruitment_placement.
8. Bulk upsert: ``--bulk-clients`` API clients post 100 full candidate profiles per request to
   ``/api/v1/candidates/bulk/`` for ``--bulk-seconds``: candidates accepted (created or updated) per second.
   The candidates carry a marker in their ``external_id`` and are deleted at the end.

Rate limits (api/throttling.py: 600 requests and 30 bulk requests a minute per client, 60 token requests a
minute per address) are the product's and stay as they are: no setting raises them. Each measurement
starts in fresh windows (the bench deletes the counters in its own Redis database, as if the next minute
had begun), so a 429 within one measurement is reported as an error like any other.

``--compare DIR`` also serves DIR (an older commit in a ``git worktree`` under /tmp, on the same database:
its schema must be compatible) and measures both side by side, page by page, with both servers up. The
last line is then the JSON of ``--code`` with the other one's under ``"before"``.

The load generator runs on the same machine as the server and PostgreSQL, and takes some of its CPU.

Run: ``.venv/bin/python bench/load.py --candidates 10000 \\
    --database-url postgres://postgres@127.0.0.1:5432/talentbrug_load10k``.
"""

import argparse
import base64
import contextlib
import json
import math
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

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
    *(".git", ".venv", "staticfiles", "media", "db.sqlite3", "bench/results"),
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


def _say(label: str, value: str = "") -> None:
    """A progress line, with the seconds since the start (the whole run is meant to stay bounded)."""
    print(f"{time.monotonic() - STARTED:5.0f} s  {label:<44} {value}".rstrip(), flush=True)


# --- Data: a fully computed database at the scale asked ------------------------------------------------


def _django_setup(database_url: str, code: Path) -> None:
    """This process runs ``code`` (the served copy) with development settings on the bench database and
    tasks in-process (no broker), so that the seed and any recompute of stale matches are done when they
    return."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], capture_output=True, check=False)
    sys.path.insert(0, str(code))
    import logging

    import django

    django.setup()
    # The seed's and the in-process recompute's log lines (kombu warns of its in-memory broker) would
    # drown the figures; errors still raise.
    logging.disable(logging.WARNING)


def _recompute_stale() -> tuple[int, int]:
    """Every stale vacancy and candidate recomputed here and now, one job each (as the workers would)."""
    from recruitment import services
    from recruitment.models import MatchJob
    from recruitment.services.sweep import stale_candidates, stale_vacancies

    vacancy_ids = list(stale_vacancies().order_by("pk").values_list("pk", flat=True))
    for vacancy_id in vacancy_ids:
        job = services.job_create(MatchJob.Kind.VACANCY, vacancy_id, queue=False)
        services.vacancy_matches_recompute(vacancy_id=vacancy_id, job_id=job.pk)
    candidate_ids = list(stale_candidates().order_by("pk").values_list("pk", flat=True))
    for candidate_id in candidate_ids:
        job = services.job_create(MatchJob.Kind.CANDIDATE, candidate_id, queue=False)
        services.candidate_matches_recompute(candidate_id=candidate_id, job_id=job.pk)
    return len(vacancy_ids), len(candidate_ids)


def _ensure_data(candidates: int, vacancies: int) -> int:
    """Seed unless the database holds ``candidates`` demo candidates; then bring stale matches up to date.
    Returns the number of demo candidates."""
    from django.core.management import call_command

    from candidates.models import Candidate
    from recruitment.services.sweep import stale_candidates, stale_vacancies

    call_command("migrate", verbosity=0)
    _remove_bench_data()  # a run that was killed leaves its accounts, which would block a reseed
    seeded = Candidate.objects.filter(external_id__startswith="DEMO-").count()
    if seeded != candidates:
        start = time.perf_counter()
        call_command(
            "seed_demo", candidates=candidates, vacancies=vacancies, employers=25, reset=True, verbosity=0
        )
        _say(
            "seeded and recomputed (seed_demo)",
            f"{candidates} candidates in {time.perf_counter() - start:.0f} s",
        )
    else:
        _say("database reused", f"{seeded} demo candidates")
    if stale_vacancies().exists() or stale_candidates().exists():
        start = time.perf_counter()
        stale = _recompute_stale()
        took = time.perf_counter() - start
        _say("stale matches recomputed", f"{stale[0]} vacancies, {stale[1]} candidates in {took:.0f} s")
    left = stale_vacancies().count() + stale_candidates().count()
    if left:
        _say("WARNING: still stale (a job held by another worker?)", str(left))
    _vacuum_analyze()
    return Candidate.objects.filter(external_id__startswith="DEMO-").count()


def _vacuum_analyze() -> None:
    """Planner statistics and visibility maps as autovacuum leaves them in production. Right after a bulk
    load the statistics still describe the empty tables, and the planner's choices are absurd: at 10k,
    ``GET /api/v1/matches/`` took 25 s instead of 2 ms. Quick when nothing changed since the last run."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    _say("VACUUM (ANALYZE)", f"{time.perf_counter() - start:.0f} s")


# --- Accounts and the pages to measure -------------------------------------------------------------


def _remove_bench_data() -> None:
    """The bench's users (their API clients, tokens and sessions go with them) and bulk candidates."""
    from candidates.models import Candidate
    from core.models import User

    Candidate.objects.filter(external_id__startswith=CANDIDATE_MARKER).delete()
    User.objects.filter(username__startswith=f"{BENCH}-").delete()


def _create_users(role: str, organisation: Any, count: int, password_hash: str) -> list[Account]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.models import User

    accounts = []
    user_role = {
        "recruiter": User.Role.RECRUITER,
        "employer": User.Role.EMPLOYER_USER,
        "partner": User.Role.PARTNER_USER,
    }[role]
    for index in range(count):
        username = f"{BENCH}-{role}-{index:02d}"
        # One password hash for all: hashing it per user would cost a third of a second each.
        user = User.objects.create(
            username=username,
            email=f"{username}@{EMAIL_DOMAIN}",
            role=user_role,
            organisation=organisation,
            password=password_hash,
        )
        key = ""
        if role == "recruiter":
            key = secrets.token_hex(20)
            TOTPDevice.objects.create(user=user, name="Bench authenticator", key=key, confirmed=True)
        accounts.append(Account(username, role, key))
    return accounts


def _create_api_clients(partner: Any, count: int, kind: str) -> list[ApiClient]:
    from django.contrib.auth.hashers import make_password

    from api.scopes import ALL_SCOPES
    from api.services import partner_client_create

    secret = secrets.token_urlsafe(32)
    # The service stores a hash of the secret; given one already hashed it keeps it (saves a hash each).
    hashed = make_password(secret)
    clients = []
    for index in range(count):
        name = f"{BENCH}-{kind}-{index:02d}"
        partner_client_create(
            organisation=partner,
            scopes=ALL_SCOPES,
            name=name,
            client_id=name,
            client_secret=hashed,
            username=name,
        )
        clients.append(ApiClient(name, secret))
    return clients


def _organisations() -> tuple[Any, Any, Any, list[str]]:
    """The recruiters' employment service, the employer with the most proposals and the partner that
    registered the most candidates (the demo logins' organisations at the demo's scale)."""
    from django.db.models import Count

    from candidates.models import Candidate
    from core.models import Organisation, User
    from recruitment.models import Placement

    demo_recruiter = User.objects.filter(username="recruiter", role=User.Role.RECRUITER).first()
    pes = demo_recruiter.organisation if demo_recruiter else None
    pes = pes or Organisation.objects.filter(kind=Organisation.Kind.PES).order_by("pk").first()
    proposals = (
        Placement.objects.filter(proposed_at__isnull=False)
        .values("vacancy__employer")
        .annotate(n=Count("pk"))
        .order_by("-n", "vacancy__employer")
        .first()
    )
    employer = Organisation.objects.get(pk=proposals["vacancy__employer"]) if proposals else None
    registered = (
        Candidate.objects.filter(registered_by__kind__in=Organisation.PARTNER_KINDS)
        .values("registered_by")
        .annotate(n=Count("pk"))
        .order_by("-n", "registered_by")
        .first()
    )
    partner = Organisation.objects.get(pk=registered["registered_by"]) if registered else None
    chosen = [
        f"employer: {employer} ({proposals['n'] if proposals else 0} proposals)",
        f"partner: {partner} ({registered['n'] if registered else 0} candidates)",
    ]
    return pes, employer, partner, chosen


def _recruiter_pages() -> tuple[list[Page], list[str]]:
    from django.db.models import Count
    from django.urls import reverse

    from candidates.models import Candidate, WorkExperience
    from projects.models import Project
    from recruitment.models import Match
    from recruitment.services.recompute import matchable_vacancies
    from vacancies.models import Vacancy

    pages = [
        Page("recruiter:dashboard", "recruiter", reverse("recruiter:dashboard")),
        Page("recruiter:vacancy_list", "recruiter", reverse("recruiter:vacancy_list")),
    ]
    chosen = []
    # The open vacancy with the most stored matches: the longest list a recruiter pages through.
    busiest = (
        Match.objects.filter(vacancy__in=matchable_vacancies())
        .values("vacancy")
        .annotate(n=Count("pk"))
        .order_by("-n", "vacancy")
        .first()
    )
    if busiest:
        vacancy = Vacancy.objects.get(pk=busiest["vacancy"])
        path = reverse("recruiter:vacancy_detail", args=[vacancy.public_id])
        pages.append(Page("recruiter:vacancy_detail", "recruiter", path))
        chosen.append(f"vacancy: {vacancy.pk} ({busiest['n']} matches)")
    searchable = Candidate.objects.filter(status=Candidate.Status.ACTIVE)
    surname = searchable.values("family_name").annotate(n=Count("pk")).order_by("-n", "family_name").first()
    candidates_path = reverse("recruiter:candidate_list")
    if surname:
        path = f"{candidates_path}?{urlencode({'text': surname['family_name']})}"
        pages.append(Page("recruiter:candidate_search", "recruiter", path))
        chosen.append(f"surname: {surname['family_name']} ({surname['n']} candidates)")
    occupation = (
        WorkExperience.objects.filter(candidate__in=searchable)
        .values("occupation")
        .annotate(n=Count("pk"))
        .order_by("-n", "occupation")
        .first()
    )
    if occupation:
        path = f"{candidates_path}?{urlencode({'occupation': occupation['occupation']})}"
        pages.append(Page("recruiter:candidate_search_occupation", "recruiter", path))
        chosen.append(f"occupation: {occupation['occupation']} ({occupation['n']} experiences)")
    for name in ("placement_list", "placement_board", "project_list"):
        pages.append(Page(f"recruiter:{name}", "recruiter", reverse(f"recruiter:{name}")))
    project = Project.objects.annotate(n=Count("candidates__placements")).order_by("-n", "pk").first()
    if project:
        path = reverse("recruiter:project_detail", args=[project.code])
        pages.append(Page("recruiter:project_detail", "recruiter", path))
        chosen.append(f"project: {project.code} ({getattr(project, 'n', 0)} placements)")
    return pages, chosen


def _employer_pages(employer: Any) -> list[Page]:
    from django.db.models import Count
    from django.urls import reverse

    from vacancies.models import Vacancy

    pages = [Page("employer:vacancy_list", "employer", reverse("employer:vacancy_list"))]
    vacancy = (
        Vacancy.objects.filter(employer=employer).annotate(n=Count("placements")).order_by("-n", "pk").first()
    )
    if vacancy:
        path = reverse("employer:vacancy_detail", args=[vacancy.public_id])
        pages.append(Page("employer:vacancy_detail", "employer", path))
    return pages


def _bulk_references(partner: Any) -> dict[str, Any]:
    """Real references for the bulk profiles: a project of the partner, the occupations of open vacancies
    and their skills (so that the new candidates match something, as real ones would)."""
    from api.selectors import programmes_for_partner, projects_for_partner
    from recruitment.services.recompute import matchable_vacancies
    from reference.models import EscoOccupation, EscoSkill
    from vacancies.models import VacancySkill

    open_vacancies = matchable_vacancies()
    occupations = EscoOccupation.objects.filter(pk__in=open_vacancies.values("occupation")).order_by("pk")
    skills = EscoSkill.objects.filter(
        pk__in=VacancySkill.objects.filter(vacancy__in=open_vacancies).values("skill")
    ).order_by("pk")
    project = projects_for_partner(organisation=partner).order_by("pk").first()
    programme = programmes_for_partner(organisation=partner).order_by("pk").first()
    return {
        "project": project.code if project else None,
        "programme": programme.pk if programme else None,
        "occupations": list(occupations.values_list("uri", flat=True)[:50]),
        "skills": list(skills.values_list("uri", flat=True)[:200]),
    }


def _fixtures(users: int, bulk_clients: int) -> Fixtures:
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse
    from django.utils import translation

    pes, employer, partner, chosen = _organisations()
    if pes is None or employer is None or partner is None:
        raise SystemExit("No employment service, employer with proposals or partner: is the demo seeded?")
    password = secrets.token_urlsafe(24)
    password_hash = make_password(password)
    accounts = {
        "recruiter": _create_users("recruiter", pes, users, password_hash),
        "employer": _create_users("employer", employer, users, password_hash),
        "partner": _create_users("partner", partner, users, password_hash),
    }
    with translation.override(LANGUAGE):  # the language prefix of the browser pages
        pages, picked = _recruiter_pages()
        pages += _employer_pages(employer)
        pages.append(Page("partner:candidate_list", "partner", reverse("partner:candidate_list")))
    for resource in ("matches", "vacancies", "candidates", "placements", "projects"):
        pages.append(Page(f"api:/{resource}/", "api", f"/api/v1/{resource}/"))
    return Fixtures(
        password=password,
        accounts=accounts,
        api_clients=_create_api_clients(partner, users, "api"),
        bulk_clients=_create_api_clients(partner, bulk_clients, "bulk"),
        pages=pages,
        bulk_references=_bulk_references(partner),
        chosen=chosen + picked,
    )


# --- Serving the code as production does ----------------------------------------------------------


def _redis_usable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _server_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    """Production settings (``config.settings.base``) as they are, with what they require from the
    environment. ``SECURE_SSL_REDIRECT`` stays on: requests say they came over https, as behind a proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "REDIS_URL", "REDIS_CACHE_URL", "SQLITE_NAME", "PYTHONPATH")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        # The API clients sign in once, before every page is measured (a whole --compare run takes 20
        # minutes at 100k); with the default 15-minute tokens the last API pages answered 401.
        "API_ACCESS_TOKEN_SECONDS": "7200",
    }
    if redis_url:
        # One database for cache and broker: it is the bench's own, and no worker reads the broker.
        env |= {"REDIS_URL": redis_url, "REDIS_CACHE_URL": redis_url}
    return env


def _served_copy(code: Path, label: str, database_url: str, env: dict[str, str]) -> Path:
    """A copy of ``code`` under /tmp with its catalogues compiled and its static files collected, as the
    production image builds them; the checkout itself is left untouched (its files as they are now).
    Both steps are skipped when their output is newer than every source (``rsync`` keeps the times)."""
    served = WORK_DIR / f"{database_url.rsplit('/', 1)[1]}-{label}"
    served.mkdir(parents=True, exist_ok=True)
    excludes = [f"--exclude={pattern}" for pattern in COPY_EXCLUDES]
    subprocess.run(["rsync", "-a", "--delete", *excludes, f"{code}/", f"{served}/"], check=True)
    manage = [sys.executable, "manage.py"]
    run_env = env | {"PYTHONPATH": str(served)}
    catalogues = list(served.glob("locale/*/LC_MESSAGES/*.po"))
    if any(_older(po.with_suffix(".mo"), [po]) for po in catalogues):
        subprocess.run(
            [*manage, "compilemessages", "--ignore=.venv", "-v0"], cwd=served, env=run_env, check=True
        )
    assets = [f for d in [served / "static", *served.glob("*/static")] for f in d.rglob("*") if f.is_file()]
    if _older(served / "staticfiles" / "staticfiles.json", assets):
        subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=served, env=run_env, check=True)
    return served


def _older(output: Path, sources: list[Path]) -> bool:
    """Whether ``output`` is missing or older than one of ``sources``."""
    if not output.exists():
        return True
    made = output.stat().st_mtime
    return any(source.stat().st_mtime > made for source in sources)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _gunicorn(server: Server) -> Iterator[None]:
    """The Dockerfile's command (3 sync workers), bound to loopback; stopped (SIGTERM) on the way out.
    Returns at once: the workers boot while the data is prepared (``_wait_until_up``)."""
    port = _free_port()
    log = (server.served / "gunicorn.log").open("w")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "3"]
    command.append("--no-control-socket")  # its default path is shared by every gunicorn of this user
    env = server.env | {"PYTHONPATH": str(server.served)}
    server.process = subprocess.Popen(command, cwd=server.served, env=env, stdout=log, stderr=log)
    server.base_url = f"http://127.0.0.1:{port}"
    try:
        yield
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
        log.close()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process is None or server.process.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {server.served / 'gunicorn.log'}")
        with contextlib.suppress(httpx.TransportError):
            answer = httpx.get(
                f"{server.base_url}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=2
            )
            if answer.status_code == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {SERVER_START_TIMEOUT} s")


# --- HTTP sessions: one per simulated user --------------------------------------------------------


class Session:
    """One simulated user: its own connection and cookies.

    The site's cookies are Secure (production settings) and this client speaks plain http to gunicorn,
    as a TLS-terminating proxy does: an ordinary cookie jar would never send them back, so they are kept
    here and sent by hand. ``X-Forwarded-Proto: https`` is what the proxy adds.
    """

    def __init__(self, base_url: str, authorization: str = "") -> None:
        self.origin = base_url.replace("http://", "https://", 1)  # what the browser's address bar shows
        self.client = httpx.Client(base_url=base_url, timeout=SIGN_IN_TIMEOUT, follow_redirects=False)
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-Proto": "https"}
        if authorization:
            self.headers["Authorization"] = authorization

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.client.request(method, path, headers=headers, **kwargs)
        for line in response.headers.get_list("set-cookie"):
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def form(self, path: str, data: dict[str, str]) -> httpx.Response:
        """POST a form of the page at ``path``, with the CSRF token that page carries."""
        page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or token is None:
            raise RuntimeError(f"GET {path}: {page.status_code}, no form")
        headers = {"Origin": self.origin, "Referer": f"{self.origin}{path}"}
        return self.request("POST", path, data={**data, "csrfmiddlewaretoken": token[1]}, headers=headers)


def _sign_in(base_url: str, account: Account, password: str, login_path: str) -> Session:
    """Password, then (recruiters) the TOTP code of the account's device, through the real pages."""
    from django_otp.oath import totp

    session = Session(base_url)
    answer = session.form(login_path, {"username": account.username, "password": password, "next": ""})
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in of {account.username} refused ({answer.status_code})")
    if account.totp_key:
        second_factor = answer.headers["location"]
        code = f"{totp(bytes.fromhex(account.totp_key)):06d}"
        answer = session.form(second_factor, {"token": code})
        if answer.status_code != 302:
            raise RuntimeError(f"second factor of {account.username} refused ({answer.status_code})")
    return session


def _api_session(base_url: str, client: ApiClient) -> Session:
    """A client-credentials token, then a session that sends it (an API client keeps no cookies)."""
    credentials = base64.b64encode(f"{client.client_id}:{client.secret}".encode()).decode()
    answer = Session(base_url, f"Basic {credentials}").request(
        "POST", "/api/v1/oauth/token/", data={"grant_type": "client_credentials"}
    )
    if answer.status_code != 200:
        raise RuntimeError(f"token for {client.client_id}: {answer.status_code} {answer.text[:200]}")
    return Session(base_url, f"Bearer {answer.json()['access_token']}")


def _sign_in_all(server: Server, fixtures: Fixtures, login_path: str, redis_url: str | None) -> None:
    _reset_rate_limits(redis_url)
    jobs: list[tuple[str, Callable[[], Session]]] = [
        (role, partial(_sign_in, server.base_url, account, fixtures.password, login_path))
        for role, accounts in fixtures.accounts.items()
        for account in accounts
    ]
    jobs += [("api", partial(_api_session, server.base_url, c)) for c in fixtures.api_clients]
    jobs += [("bulk", partial(_api_session, server.base_url, c)) for c in fixtures.bulk_clients]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=SIGN_IN_THREADS) as pool:  # one per worker: nobody waits long
        sessions = list(pool.map(lambda job: (job[0], job[1]()), jobs))
    for role, session in sessions:
        session.client.timeout = httpx.Timeout(REQUEST_TIMEOUT)
        if role == "bulk":
            server.bulk_sessions.append(session)
        else:
            server.sessions.setdefault(role, []).append(session)
    took = time.perf_counter() - start
    _say(f"[{server.label}] signed in", f"{len(sessions)} sessions and tokens in {took:.1f} s")


def _reset_rate_limits(redis_url: str | None) -> None:
    """Start a measurement in fresh rate-limit windows: the counters in the bench's own Redis database
    are deleted, as if the next minute had begun. The limits themselves are untouched."""
    if not redis_url:
        return
    import redis

    connection = redis.Redis.from_url(redis_url)
    keys = list(connection.scan_iter(match="*throttle_*"))
    if keys:
        connection.delete(*keys)


# --- Load ---------------------------------------------------------------------------------------------


def _percentile(sorted_values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)


def _timed_get(session: Session, path: str, samples: Samples) -> None:
    start = time.perf_counter()
    try:
        status = str(session.request("GET", path).status_code)
    except httpx.HTTPError as exc:  # counted like any failed answer, never hidden
        status = type(exc).__name__
    samples.latencies.append(time.perf_counter() - start)
    samples.statuses[status] += 1


def _hammer(sessions: list[Session], path: str, seconds: float, think: float) -> tuple[Samples, float]:
    """Every session requests ``path`` until the deadline, ``think`` seconds apart (0: back to back);
    returns all samples and the wall time."""
    deadline = time.monotonic() + seconds
    per_user = [Samples() for _ in sessions]

    def user(index: int) -> None:
        while time.monotonic() < deadline:
            _timed_get(sessions[index], path, per_user[index])
            time.sleep(think)

    start = time.perf_counter()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    merged = Samples()
    for samples in per_user:
        merged.latencies += samples.latencies
        merged.statuses.update(samples.statuses)
    return merged, wall


def _measure_page(server: Server, page: Page, args: argparse.Namespace, redis_url: str | None) -> PageFigures:
    sessions = server.sessions[page.role]
    _reset_rate_limits(redis_url)
    # Unrecorded requests, one per worker process (3): each has opened its connection and run the page.
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda session: _timed_get(session, page.path, Samples()), sessions[:3]))
    single = Samples()
    started = time.monotonic()
    while time.monotonic() - started < SINGLE_SECONDS and len(single.latencies) < SINGLE_REQUESTS:
        _timed_get(sessions[0], page.path, single)
    samples, wall = _hammer(sessions, page.path, args.seconds, args.think)
    latencies = sorted(samples.latencies)
    errors = {status: n for status, n in (samples.statuses + single.statuses).items() if status != "200"}
    return PageFigures(
        p50_ms=round(_percentile(latencies, 0.50) * 1000, 1),
        p95_ms=round(_percentile(latencies, 0.95) * 1000, 1),
        p50_single_ms=round(_percentile(sorted(single.latencies), 0.50) * 1000, 1),
        requests_per_s=round(len(latencies) / wall, 1),
        requests=len(latencies),
        errors=sum(errors.values()),
        error_statuses=errors,
    )


# --- Bulk upsert ------------------------------------------------------------------------------------


def _bulk_profile(index: int, marker: str, references: dict[str, Any]) -> dict[str, Any]:
    """A full profile as a partner sends it (docs/api.md): identity, languages, a diploma with its
    recognition request, experience, skills, a licence, training and consent."""
    occupations, skills = references["occupations"], references["skills"]
    occupation = occupations[index % len(occupations)]
    profile: dict[str, Any] = {
        "external_id": f"{marker}{index:07d}",
        "given_name": "Bench",
        "family_name": f"Load {index}",
        "email": f"candidate-{index}@{EMAIL_DOMAIN}",
        "preferred_language": "fr",
        "date_of_birth": f"{1975 + index % 25}-0{1 + index % 9}-1{index % 9}",
        "nationalities": ["MA"],
        "country_of_residence": "MA",
        "available_from": "2027-03-01",
        "preferred_regions": ["VLG"],
        "desired_occupations": [occupation, occupations[(index + 7) % len(occupations)]],
        "languages": [
            {"language": "ar", "is_native": True},
            _language("fr", "C1", "verified"),
            _language("en", "B2", "training_certificate"),
            _language("nl", ("A2", "B1")[index % 2], "self_declared"),
        ],
        "diplomas": [
            {
                "title": "Licence professionnelle",
                "institution": "Université Hassan II",
                "country": "MA",
                "isced_level": 6,
                "duration_years": "3.0",
                "awarded_on": "2016-07-01",
                "recognition_steps": [
                    {"authority": "naric_vl", "outcome": "requested", "requested_on": "2026-10-01"}
                ],
            }
        ],
        "work_experience": [
            {
                "occupation": occupation,
                "job_title": "Technicien",
                "country": "MA",
                "started_on": "2017-01-02",
                "ended_on": "2021-12-31",
            },
            {
                "occupation": occupation,
                "job_title": "Technicien senior",
                "country": "MA",
                "started_on": "2022-01-03",
            },
        ],
        "skills": [
            {"skill": skills[(index + k) % len(skills)], "evidence": "self_declared"} for k in range(5)
        ]
        if skills
        else [],
        "licences": [{"kind": "driving_c", "issuing_country": "MA"}],
        "consents": [
            {
                "purpose": "profile_visibility",
                "text_version": "2026-01",
                "channel": "partner_api",
                "granted_at": "2026-11-02T10:00:00+01:00",
            }
        ],
    }
    if references["project"]:
        profile["project"] = references["project"]
    if references["programme"]:
        profile["training"] = [{"programme": references["programme"], "status": "in_progress"}]
    return profile


def _language(code: str, level: str, evidence: str) -> dict[str, Any]:
    skills = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")
    return {"language": code, **dict.fromkeys(skills, level), "evidence": evidence}


def _measure_bulk(server: Server, references: dict[str, Any], seconds: float) -> dict[str, Any]:
    """Each bulk client posts 100 new profiles per request, back to back, until the deadline."""
    marker = f"{CANDIDATE_MARKER}{server.label.upper()}-{secrets.token_hex(3)}-"
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        batch = 0
        while time.monotonic() < deadline:
            first = (number * 1_000 + batch) * BULK_SIZE
            items = [_bulk_profile(first + k, marker, references) for k in range(BULK_SIZE)]
            headers = {"Idempotency-Key": str(uuid.uuid4())}  # as a careful partner sends it
            try:
                answer = server.bulk_sessions[number].request(
                    "POST", "/api/v1/candidates/bulk/", json={"items": items}, headers=headers
                )
                status = str(answer.status_code)
            except httpx.HTTPError as exc:
                answer, status = None, type(exc).__name__
            with lock:
                counts["requests"] += 1
                if answer is not None and status == "200":
                    summary = answer.json()["summary"]
                    counts["accepted"] += summary.get("created", 0) + summary.get("updated", 0)
                    counts["item_errors"] += summary.get("error", 0)
                else:
                    counts[f"status {status}"] += 1
            batch += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(server.bulk_sessions)) as pool:
        list(pool.map(client, range(len(server.bulk_sessions))))
    wall = time.perf_counter() - start
    failed = {key: n for key, n in counts.items() if key.startswith("status ")}
    return {
        "candidates_per_s": round(counts["accepted"] / wall, 1),
        "clients": len(server.bulk_sessions),
        "requests": counts["requests"],
        "accepted": counts["accepted"],
        "item_errors": counts["item_errors"],
        "errors": sum(failed.values()),
        "error_statuses": failed,
    }


# --- Queries per page, in a process running the served code ----------------------------------------


def _start_counting_queries(server: Server, fixtures: Fixtures) -> subprocess.Popen[bytes]:
    """The query counter runs the served code in a process of its own (``bench/load_queries.py``); it writes
    its figures to ``queries.json`` and its log to ``queries.log`` in the served copy."""
    spec = {
        "pages": [asdict(page) for page in fixtures.pages],
        "users": {role: accounts[0].username for role, accounts in fixtures.accounts.items()},
        "api_client": asdict(fixtures.api_clients[0]),
        "output": str(server.served / "queries.json"),
    }
    spec_path = server.served / "queries-spec.json"
    spec_path.write_text(json.dumps(spec))
    env = server.env | {"PYTHONPATH": str(server.served)}
    command = [sys.executable, str(Path(__file__).resolve().parent / "load_queries.py"), str(spec_path)]
    log = (server.served / "queries.log").open("w")
    return subprocess.Popen(command, cwd=server.served, env=env, stdout=log, stderr=log)


def _finish_counting_queries(server: Server, process: subprocess.Popen[bytes]) -> None:
    if process.wait() != 0:
        _say(f"WARNING: [{server.label}] query count failed", str(server.served / "queries.log"))
        return
    server.counted = json.loads((server.served / "queries.json").read_text())


# --- Output ---------------------------------------------------------------------------------------


def _print_table(server: Server) -> None:
    print(f"\n{server.label}: {server.code} ({len(server.sessions['recruiter'])} users per page)")
    columns = ("p50 ms", "p95 ms", "1 user", "req/s", "errors", "queries")
    print(f"{'page':<40}" + "".join(f"{c:>9}" for c in columns) + "  seq scans (large tables)")
    for name, figures in server.figures.items():
        values = (figures.p50_ms, figures.p95_ms, figures.p50_single_ms, figures.requests_per_s)
        print(
            f"{name:<40}" + "".join(f"{v:>9.1f}" for v in values) + f"{figures.errors:>9}"
            f"{figures.queries!s:>9}  {', '.join(figures.seq_scan_tables) or '-'}"
        )
    bulk = server.bulk
    print(
        f"{'bulk upsert: candidates/s accepted':<40}{bulk['candidates_per_s']:>9.1f}  "
        f"({bulk['accepted']} in {bulk['requests']} requests of {BULK_SIZE} from {bulk['clients']} clients, "
        f"{bulk['item_errors']} items refused)"
    )
    failed = {name: f.error_statuses for name, f in server.figures.items() if f.errors}
    if bulk["errors"]:
        failed["bulk upsert"] = bulk["error_statuses"]
    for name, statuses in failed.items():
        print(f"errors on {name}: {statuses}")
    if failed:
        print(f"the server's log: {server.served / 'gunicorn.log'}")
    sys.stdout.flush()


def _figures_json(server: Server, candidates: int, users: int) -> dict[str, Any]:
    pages = {}
    for name, figures in server.figures.items():
        pages[name] = {
            "p50_ms": figures.p50_ms,
            "p95_ms": figures.p95_ms,
            "queries": figures.queries,
            "seq_scan": figures.seq_scan,
            "seq_scan_tables": figures.seq_scan_tables,
            "p50_single_ms": figures.p50_single_ms,
            "requests_per_s": figures.requests_per_s,
            "errors": figures.errors,
        }
    return {"candidates": candidates, "users": users, "pages": pages, "bulk_upsert": server.bulk}


# --- The run --------------------------------------------------------------------------------------


def _prepare_server(label: str, code: Path, args: argparse.Namespace, redis_url: str | None) -> Server:
    env = _server_env(args.database_url, redis_url)
    start = time.perf_counter()
    served = _served_copy(code, label, args.database_url, env)
    _say(f"[{label}] served copy of {code}", f"{served} ({time.perf_counter() - start:.0f} s)")
    return Server(label=label, code=code, served=served, env=env)


def _measure(servers: list[Server], fixtures: Fixtures, args: argparse.Namespace, redis: str | None) -> None:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(LANGUAGE):
        login_path = reverse("account:login")
    # Queries are counted while the servers start and users sign in (nothing is timed then), and are
    # done before any load is.
    counting = [_start_counting_queries(server, fixtures) for server in servers]
    for server in servers:
        _wait_until_up(server)
        _sign_in_all(server, fixtures, login_path, redis)
    for server, process in zip(servers, counting, strict=True):
        _finish_counting_queries(server, process)
    for page in fixtures.pages:
        for server in servers:  # side by side, page by page: the machine's mood hits both alike
            measured = _measure_page(server, page, args, redis)
            counted = server.counted.get(page.name, {})
            measured.queries = counted.get("queries")
            measured.seq_scan = counted.get("seq_scan", False)
            measured.seq_scan_tables = counted.get("seq_scan_tables", [])
            server.figures[page.name] = measured
            _say(
                f"[{server.label}] {page.name}",
                f"p50 {measured.p50_ms} ms, p95 {measured.p95_ms} ms, {measured.errors} errors",
            )
    for server in servers:
        _reset_rate_limits(redis)
        server.bulk = _measure_bulk(server, fixtures.bulk_references, args.bulk_seconds)
        _say(f"[{server.label}] bulk upsert", f"{server.bulk['candidates_per_s']} candidates/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, help="default: a tenth of the candidates, 100 to 2,000")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="the bench's own database: it is flushed")
    parser.add_argument("--users", type=int, default=20, help="concurrent simulated users per page")
    parser.add_argument("--seconds", type=float, default=20, help="of load per page")
    parser.add_argument(
        "--think", type=float, default=0, help="seconds each user waits between requests (0: back to back)"
    )
    parser.add_argument("--bulk-clients", type=int, default=4)
    parser.add_argument("--bulk-seconds", type=float, default=15)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to serve (default: this one)")
    parser.add_argument("--compare", type=Path, help="another checkout, measured side by side as 'before'")
    args = parser.parse_args()
    vacancies = args.vacancies or max(100, min(2_000, args.candidates // 10))
    load = os.getloadavg()
    _say("machine", f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    redis_url = args.redis_url if _redis_usable(args.redis_url) else None
    if not redis_url:
        _say("WARNING: no Redis", "no cache, tasks run in the request (the bulk upsert recomputes inline)")
    # The code is copied first, and everything runs from the copies: others may change the checkout
    # during the run, and the schema migrated, the data seeded and the code served must be of one moment.
    servers = [_prepare_server("after" if args.compare else "current", args.code.resolve(), args, redis_url)]
    if args.compare:
        servers.insert(0, _prepare_server("before", args.compare.resolve(), args, redis_url))
    _django_setup(args.database_url, servers[-1].served)
    import redis as redis_client

    with contextlib.ExitStack() as stack:
        for server in servers:
            stack.enter_context(_gunicorn(server))
        candidates = _ensure_data(args.candidates, vacancies)
        if redis_url:
            redis_client.Redis.from_url(redis_url).flushdb()
        fixtures = _fixtures(args.users, args.bulk_clients)
        for line in fixtures.chosen:
            _say("chosen", line)
        try:
            _measure(servers, fixtures, args, redis_url)
        finally:
            _remove_bench_data()
            if redis_url:  # the recomputes queued for the deleted candidates
                redis_client.Redis.from_url(redis_url).flushdb()
    for server in servers:
        _print_table(server)
    print()
    _say("whole run", f"{time.monotonic() - STARTED:.0f} s")
    result = _figures_json(servers[-1], candidates, args.users)
    result |= {"seconds": args.seconds, "think_s": args.think, "load_average": list(os.getloadavg())}
    if args.compare:
        result["before"] = _figures_json(servers[0], candidates, args.users)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
