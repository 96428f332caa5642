"""The real processes of a fault scenario: a private Redis, Celery workers and beat (quality.md section 2).

Each scenario gets a Redis of its own on a free loopback port, which it may stop and start again (empty,
like a restarted Redis without persistence: every message in it is lost), and worker and beat
processes running ``tests.faults.settings`` against the test database and that Redis, with short time
limits (so short leases) and sweepers every few seconds. Each process runs in a session of its own, so
that "kill the whole worker" kills its pool processes too, and logs to a file (a pipe nobody reads
would fill up and block it); the logs are printed when the scenario ends, for a failing test's report.

This process (the "web" side: Django's test client and the services it calls) is pointed at the same
Redis for the scenario's length: the cache (sign-in and API limits) and the broker its requests queue
tasks on, as a served web process would be.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from kombu import Connection
from kombu import pools as kombu_pools

from config.celery import app
from core import counters
from tests.redis_server import PrivateRedis, redis_server_executable
from tests.workers import test_database_url

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(os.environ.get("FAULTS_RESULTS", "/tmp/talentbrug-faults.jsonl"))

SWEEP_SECONDS = 4  # the beat's sweepers in the scenarios run this often
TIME_LIMIT = 10  # hard task time limit in the scenarios' workers; the job lease is this + 60 s
SOFT_TIME_LIMIT = 8
# Redis re-delivers an unacknowledged message after this: above the time limit, and above the longest
# retry countdown a worker holds (a recompute's fourth retry waits 40 s), else it is delivered twice.
VISIBILITY_TIMEOUT = 90
LEASE_SECONDS = TIME_LIMIT + 60  # recruitment.services.jobs.LEASE in the workers
START_DEADLINE = 60  # seconds for a worker to start consuming, on a loaded 2-core machine

PROCESS_ENV = {
    "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
    "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
    "CELERY_TASK_SOFT_TIME_LIMIT": str(SOFT_TIME_LIMIT),
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    "FAULTS_SWEEP_SECONDS": str(SWEEP_SECONDS),
    # Webhook attempts bounded to 2 s, retried after 1, 2, 4 s (tests/faults/test_webhooks.py).
    "WEBHOOK_TIMEOUT_SECONDS": "2",
    "WEBHOOK_RETRY_BASE_SECONDS": "1",
    "WEBHOOK_RETRY_MAX_SECONDS": "4",
    "WEBHOOK_MAX_ATTEMPTS": "10",
    "LOG_LEVEL": "INFO",
}


def local_redis() -> PrivateRedis:
    """A private ``redis-server`` on a free loopback port (``tests/redis_server.py``), which a scenario
    stops and starts again, empty, on the same port."""
    return PrivateRedis(redis_server_executable())


@dataclass
class Stack:
    """Worker and beat processes of one scenario, on its private Redis and the test database."""

    redis: PrivateRedis
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {
            **os.environ,
            **PROCESS_ENV,
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": self.redis.url(0),
            **(extra or {}),
        }

    def _spawn(self, name: str, command: list[str], env: dict[str, str] | None) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *command],
            cwd=ROOT,
            env=self.environment(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its pool processes
        )
        log.close()
        self.processes[name] = process
        return process

    def start_worker(
        self,
        name: str = "worker",
        *,
        queues: str | None = None,
        concurrency: int = 2,
        env: dict[str, str] | None = None,
    ) -> subprocess.Popen[bytes]:
        """A prefork worker (``concurrency`` pool processes) on ``queues`` (default: the default queue and
        the recomputes', as ``make worker``); returns once it consumes (its heartbeat task ran)."""
        queues = queues or settings.DEFAULT_WORKER_QUEUES
        command = ["worker", "--pool", "prefork", "--concurrency", str(concurrency), "-n", f"{name}@faults"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queues]
        process = self._spawn(name, command, env)
        self.wait_consuming(name, queue=queues.split(",")[0])
        return process

    def wait_consuming(self, name: str, *, queue: str | None = None) -> None:
        from core.models import WorkerHeartbeat

        node = f"{name}@faults"
        WorkerHeartbeat.objects.filter(worker=node).delete()
        with self.redis_broker_connection() as connection:
            app.send_task("core.tasks.record_heartbeat_task", queue=queue, connection=connection)
        wait_until(
            lambda: WorkerHeartbeat.objects.filter(worker=node).exists(),
            f"worker {name} to consume",
            timeout=START_DEADLINE,
            alive=self.processes[name],
        )

    @contextmanager
    def redis_broker_connection(self) -> Iterator[Connection]:
        with app.connection_for_write(self.redis.url(0)) as connection:
            yield connection

    def start_beat(self) -> subprocess.Popen[bytes]:
        command = ["beat", "-s", str(self.logs / "beat-schedule"), "--pidfile", str(self.logs / "beat.pid")]
        return self._spawn("beat", command, None)

    def pool_processes(self, name: str) -> list[int]:
        pid = self.processes[name].pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def kill(self, name: str) -> None:
        """SIGKILL the whole worker: its main process and its pool processes (its process group)."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name, process in self.processes.items():
            # The scenario is over and checked: nothing to finish gracefully (a warm shutdown would wait
            # for a slow recompute or a webhook attempt). The whole group: pool processes included.
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            log = self.logs / f"{name}.log"
            print(f"--- {name} ---\n{log.read_text(errors='replace')[-6000:]}")  # shown when a test fails


@contextmanager
def web_side_on(server: PrivateRedis) -> Iterator[None]:
    """This process, as a web process of the scenario: its cache and its broker are the private Redis,
    tasks are sent (not run here). The cache settings are production's (base.py): short timeouts."""
    cache_options = settings.CACHES["default"].get("OPTIONS", {}) if settings.REDIS_URL else {}
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url(1),
            "OPTIONS": cache_options or {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    conf = app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    counters.fallback_counters.clear()
    _reset_broker_pools(server.url(0), eager=False)
    try:
        with override_settings(CACHES=caches):
            yield
    finally:
        _reset_broker_pools(saved[0], eager=saved[1])
        counters.fallback_counters.clear()


@contextmanager
def broker_nobody_reads() -> Iterator[None]:
    """Tasks sent to an in-memory broker of this process, never run: to set a scene without them."""
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    _reset_broker_pools("memory://", eager=False)
    try:
        yield
    finally:
        _reset_broker_pools(saved[0], eager=saved[1])


def _reset_broker_pools(url: str | None, *, eager: bool) -> None:
    """Point the app at ``url``: the connection and producer pools are rebuilt on first use."""
    # kombu keeps its pools in a registry keyed by the connection's URL: reset it, or a pool closed
    # here would be handed out again for the same URL.
    kombu_pools.reset()
    app._pool = None  # type: ignore[attr-defined]  # Celery offers no public way to drop its pools
    app.amqp._producer_pool = None  # type: ignore[attr-defined]
    app.conf.update(broker_url=url, task_always_eager=eager)


def wait_until(
    condition: Callable[[], bool],
    what: str,
    *,
    timeout: float,
    alive: subprocess.Popen[bytes] | None = None,
    every: float = 0.25,
) -> float:
    """Poll ``condition`` until true; the seconds it took. Fails the test at ``timeout`` (the scenario's
    bound), or at once if ``alive`` stopped."""
    started = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - started
        if alive is not None and alive.poll() is not None:
            raise AssertionError(f"the process stopped (exit {alive.returncode}) while waiting for {what}")
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not healed: timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def healed_within(
    name: str,
    condition: Callable[[], bool],
    what: str,
    *,
    bound: float,
    errors: Callable[[], int],
    left: Callable[[], str] | None = None,
) -> float:
    """``wait_until`` for the scenario's healing; a scenario not healed within its bound is recorded
    as such before the test fails, with what was ``left`` open then (``world.unsettled``)."""
    try:
        return wait_until(condition, what, timeout=bound)
    except AssertionError as timeout:
        still = left() if left is not None else ""
        record(name, None, errors(), bound_s=bound, left=still)
        if still:
            raise AssertionError(f"{timeout}; left open: {still}") from timeout
        raise


def record(name: str, healed: float | None, errors: int, **details: object) -> None:
    """Print the scenario's result (``-s``) and append it to the results file, for the closing note."""
    took = (
        f"healed in {healed:.1f}s" if healed is not None else f"NOT healed within {details.get('bound_s')}s"
    )
    print(f"FAULT {name}: {took}, user-visible errors: {errors}")
    line: dict[str, object] = {"scenario": name, "healed_s": None if healed is None else round(healed, 1)}
    line |= {"user_visible_errors": errors, **details}
    line["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with RESULTS.open("a") as results:
        results.write(json.dumps(line) + "\n")
