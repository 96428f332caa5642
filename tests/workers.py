"""Real Celery worker processes for the tests that are about them (Redis broker, PostgreSQL).

A pool starts workers on a queue of its own, so no other worker on the machine can take the test's
messages; ``routed_to`` sends the tasks of one app there from the test process (which otherwise runs
tasks eagerly). Every wait has a deadline, and every worker is stopped in teardown.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 40  # seconds for any one wait


def test_database_url() -> str:
    """The URL of the test database this process uses, for the workers to write to the same one."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


class Workers:
    """Worker processes on one private queue; ``start`` another, ``kill`` one with SIGKILL."""

    def __init__(self, prefix: str = "test") -> None:
        self.queue = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.processes: list[subprocess.Popen[str]] = []

    def node(self, index: int) -> str:
        return f"{self.queue}-{index}@testhost"

    def start(
        self,
        *,
        env: dict[str, str] | None = None,
        eager_off: bool = False,
        prefork: bool = False,
        concurrency: int = 1,
    ) -> subprocess.Popen[str]:
        """Start a worker; ``eager_off`` turns eager mode off inside it, as in production, so that a
        retry's countdown message goes back through Redis. ``prefork``: ``concurrency`` pool processes
        (one by default) under a main process, as in production (``pool_processes`` finds them),
        instead of running tasks in one."""
        environment = {
            **os.environ,
            **(env or {}),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": test_database_url(),
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "prefork" if prefork else "solo",
            *(["--concurrency", str(concurrency)] if prefork else []),
            "-Q",
            self.queue,
        ]
        command += ["-n", self.node(len(self.processes)), "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat", "--loglevel", "INFO"]
        if eager_off:
            command += ["--", "task.always_eager=false"]
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.processes.append(process)
        return process

    @staticmethod
    def pool_processes(process: subprocess.Popen[str]) -> list[int]:
        """The pids of a prefork worker's pool processes (its children)."""
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self, process: subprocess.Popen[str]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            output, _ = process.communicate()
            print(output)  # shown by pytest when the test fails


Pool = TypeVar("Pool", bound=Workers)


@contextmanager
def routed_to(pool: Pool, task_pattern: str) -> Iterator[Pool]:
    """Send the tasks matching ``task_pattern`` through Redis to ``pool``'s queue; stop it afterwards."""
    conf = app.conf
    saved = (conf.task_always_eager, conf.task_routes)
    conf.task_always_eager = False
    conf.task_routes = {task_pattern: {"queue": pool.queue}}
    app.amqp.flush_routes()
    del app.amqp.router  # rebuilt from the routes above on first use
    try:
        yield pool
    finally:
        pool.stop_all()
        conf.task_always_eager, conf.task_routes = saved
        app.amqp.flush_routes()
        del app.amqp.router


def wait_for(condition: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
