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
   ``--seconds``, back to back, or with ``--think T`` as people use pages: each user reads a page for
   0.5 T to 1.5 T seconds before the next click (locust's ``between``), the users starting at random
   moments within T. p50 and p95 latency, requests per second, and every answer other than 200 counted
   as an error (a request unanswered after 30 s included). ``--pages REGEX``: only the pages whose name
   matches (``'^$'``: none, for the bulk upsert alone).
7. Queries per page: in a separate process on the same copy of the code, Django's test client requests
   each page once warm, as the same kind of user, under ``CaptureQueriesContext``; every captured SELECT is
   then ``EXPLAIN``ed with its parameters. ``seq_scan_tables`` names the tables of at least 10,000 rows
   a plan reads sequentially (the planner rightly reads a smaller one whole); ``seq_scan`` is true when
   one of them is recruitment_match, candidates_candidate or recruitment_placement.
8. Bulk upsert: ``--bulk-clients`` API clients post 100 full candidate profiles per request to
   ``/api/v1/candidates/bulk/`` for ``--bulk-seconds``: candidates accepted (created or updated) per second.
   The bodies are encoded before the clock starts (``bench/load_bulk.py``), at most a minute's worth per
   client (the product's rate).
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
import contextlib
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from load_bulk import measure_bulk
from load_common import (
    BULK_SIZE,
    DEFAULT_DB,
    DEFAULT_REDIS,
    LANGUAGE,
    ROOT,
    SINGLE_REQUESTS,
    SINGLE_SECONDS,
    STARTED,
    Fixtures,
    Page,
    PageFigures,
    Server,
    say,
)
from load_fixtures import choose_fixtures, django_setup, ensure_data, remove_bench_data
from load_serving import (
    Session,
    gunicorn,
    redis_usable,
    reset_rate_limits,
    served_copy,
    server_env,
    sign_in_all,
    wait_until_up,
)

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
    """Every session requests ``path`` until the deadline, back to back (``think`` 0) or as people do:
    each user reads the page for a while before the next click, ``think`` seconds on average (drawn
    between half and one and a half times it, as locust's ``between``), and the users do not all start
    at the same instant. Returns all samples and the wall time."""
    deadline = time.monotonic() + seconds
    per_user = [Samples() for _ in sessions]
    pauses = random.Random(len(sessions))  # the same pauses in every run: runs compare side by side

    def user(index: int) -> None:
        with lock:
            first, later = pauses.uniform(0, think), [pauses.uniform(0.5, 1.5) * think for _ in range(1000)]
        time.sleep(first)
        clicks = 0
        while time.monotonic() < deadline:
            _timed_get(sessions[index], path, per_user[index])
            time.sleep(later[clicks % len(later)])
            clicks += 1

    lock = threading.Lock()
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
    reset_rate_limits(redis_url)
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
        say(f"WARNING: [{server.label}] query count failed", str(server.served / "queries.log"))
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
    env = server_env(args.database_url, redis_url)
    start = time.perf_counter()
    served = served_copy(code, label, args.database_url, env)
    say(f"[{label}] served copy of {code}", f"{served} ({time.perf_counter() - start:.0f} s)")
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
        wait_until_up(server)
        sign_in_all(server, fixtures, login_path, redis)
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
            say(
                f"[{server.label}] {page.name}",
                f"p50 {measured.p50_ms} ms, p95 {measured.p95_ms} ms, {measured.errors} errors",
            )
    for server in servers:
        reset_rate_limits(redis)
        server.bulk = measure_bulk(server, fixtures.bulk_references, args.bulk_seconds)
        say(f"[{server.label}] bulk upsert", f"{server.bulk['candidates_per_s']} candidates/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, help="default: a tenth of the candidates, 100 to 2,000")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="the bench's own database: it is flushed")
    parser.add_argument("--users", type=int, default=20, help="concurrent simulated users per page")
    parser.add_argument("--seconds", type=float, default=20, help="of load per page")
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="mean seconds a user reads a page before the next click (0: back to back)",
    )
    parser.add_argument(
        "--bulk-clients",
        type=int,
        default=8,
        help="partner systems uploading at once; each may send 30 bulk requests a minute (the product's "
        "rate), so 4 could not send 1,000 candidates/s however fast the server",
    )
    parser.add_argument("--bulk-seconds", type=float, default=15)
    parser.add_argument(
        "--pages",
        default="",
        help="only the pages whose name matches this regular expression ('^$': none, the bulk upsert alone)",
    )
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to serve (default: this one)")
    parser.add_argument("--compare", type=Path, help="another checkout, measured side by side as 'before'")
    parser.add_argument(
        "--keep-stale", action="store_true", help="read the stored matches as they are (no recompute)"
    )
    args = parser.parse_args()
    vacancies = args.vacancies or max(100, min(2_000, args.candidates // 10))
    load = os.getloadavg()
    say("machine", f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    redis_url = args.redis_url if redis_usable(args.redis_url) else None
    if not redis_url:
        say("WARNING: no Redis", "no cache, tasks run in the request (the bulk upsert recomputes inline)")
    # The code is copied first, and everything runs from the copies: others may change the checkout
    # during the run, and the schema migrated, the data seeded and the code served must be of one moment.
    servers = [_prepare_server("after" if args.compare else "current", args.code.resolve(), args, redis_url)]
    if args.compare:
        servers.insert(0, _prepare_server("before", args.compare.resolve(), args, redis_url))
    django_setup(args.database_url, servers[-1].served)
    import redis as redis_client

    with contextlib.ExitStack() as stack:
        for server in servers:
            stack.enter_context(gunicorn(server))
        candidates = ensure_data(args.candidates, vacancies, keep_stale=args.keep_stale)
        if redis_url:
            redis_client.Redis.from_url(redis_url).flushdb()
        fixtures = choose_fixtures(args.users, args.bulk_clients)
        fixtures.pages = [page for page in fixtures.pages if re.search(args.pages, page.name)]
        for line in fixtures.chosen:
            say("chosen", line)
        try:
            _measure(servers, fixtures, args, redis_url)
        finally:
            remove_bench_data()
            if redis_url:  # the recomputes queued for the deleted candidates
                redis_client.Redis.from_url(redis_url).flushdb()
    for server in servers:
        _print_table(server)
    print()
    say("whole run", f"{time.monotonic() - STARTED:.0f} s")
    result = _figures_json(servers[-1], candidates, args.users)
    result |= {"seconds": args.seconds, "think_s": args.think, "load_average": list(os.getloadavg())}
    if args.compare:
        result["before"] = _figures_json(servers[0], candidates, args.users)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
