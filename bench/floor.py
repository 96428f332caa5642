"""The machine's floor for issue 11's target: how fast can the lightest answers be with 20 users?

Issue 11 asks for 150 ms at p95 with 20 concurrent users who never pause (a closed loop). On a machine
where the load generator, PostgreSQL and the server share a few cores, a closed loop's p95 is set by the
CPU each request costs: about ``users × CPU per request / cores``. This benchmark serves the code exactly
as ``bench/load.py`` does (a copy, gunicorn with 3 workers, the production settings, loopback) on a
small, empty database, and measures answers that read no data at all:

- ``/healthz``: Django's request cycle and one ``SELECT 1``, no template, no session;
- the sign-in page: the middleware stack, a session, a CSRF token and one rendered template;
- a static file served by WhiteNoise: Python and gunicorn with no Django view at all.

If these already miss the target, no page that signs a user in, checks their rights and reads their
data can meet it on this machine, whatever its queries: the target then needs more cores (or the load
generator elsewhere), not other code. Figures are printed, never asserted; the last line is JSON.

Run: ``.venv/bin/python bench/floor.py`` (about 2 minutes; creates the database ``talentbrug_floor``).
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from load import Samples, _hammer, _percentile, _timed_get
from load_common import DEFAULT_REDIS, ROOT, Server, say
from load_serving import (
    Session,
    gunicorn,
    redis_usable,
    served_copy,
    server_env,
    wait_until_up,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/talentbrug_floor"


def _static_path(served: Path) -> str:
    """One collected static file's URL (hashed names come from the manifest)."""
    manifest = json.loads((served / "staticfiles" / "staticfiles.json").read_text())
    name = next(key for key in sorted(manifest["paths"]) if key.endswith(".css"))
    return "/static/" + manifest["paths"][name]


def _measure(sessions: list[Session], path: str, seconds: float) -> dict[str, float]:
    single = Samples()
    for _ in range(30):
        _timed_get(sessions[0], path, single)
    samples, wall = _hammer(sessions, path, seconds, 0)
    latencies = sorted(samples.latencies)
    cores = os.cpu_count() or 1
    throughput = len(latencies) / wall
    return {
        "p50_single_ms": round(_percentile(sorted(single.latencies), 0.5) * 1000, 1),
        "p50_ms": round(_percentile(latencies, 0.5) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "requests_per_s": round(throughput, 1),
        # What one answer costs the whole machine (server, database and load generator together).
        "machine_ms_per_request": round(cores * 1000 / throughput, 1),
        "errors": sum(n for status, n in samples.statuses.items() if status != "200"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    load = os.getloadavg()
    say("machine", f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    name = args.database_url.rsplit("/", 1)[1]
    admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], capture_output=True, check=False)
    # The same Redis database as bench/load.py: the cache as in production.
    env = server_env(args.database_url, DEFAULT_REDIS if redis_usable(DEFAULT_REDIS) else None)
    served = served_copy(ROOT, "floor", args.database_url, env)
    run_env = env | {"PYTHONPATH": str(served)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=served, env=run_env, check=True)
    server = Server(label="floor", code=ROOT, served=served, env=env)
    paths = {
        "healthz": "/healthz",
        "sign_in_page": "/nl/account/sign-in/",
        "static_file": _static_path(served),
    }
    figures: dict[str, dict[str, float]] = {}
    with contextlib.ExitStack() as stack:
        stack.enter_context(gunicorn(server))
        wait_until_up(server)
        sessions = [Session(server.base_url) for _ in range(args.users)]
        for label, path in paths.items():
            time.sleep(1)
            figures[label] = _measure(sessions, path, args.seconds)
            say(label, ", ".join(f"{key} {value}" for key, value in figures[label].items()))
    print(json.dumps({"users": args.users, "cores": os.cpu_count(), "floor": figures}))


if __name__ == "__main__":
    main()
