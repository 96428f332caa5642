"""A private Redis server for tests that stop it: its own process on a free loopback port, no persistence.

The shared Redis of CI must never be stopped by a test; this one belongs to the test alone. Without
``redis-server`` on the machine the test is skipped, except with REQUIRE_SERVICES=1 (CI), where a skip
would hide the very failure the test is there to catch (tests/conftest.py does the same for PostgreSQL).
"""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

DEADLINE = 10  # seconds for the server to answer, or to stop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateRedis:
    """Started at once; ``stop()`` and ``start()`` again keep the port (an empty server: no persistence)."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        command = [self.executable, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + DEADLINE
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)
            finally:
                client.close()

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def cache_settings(self, **options: float) -> dict[str, dict[str, object]]:
        """``CACHES`` pointing Django's default cache at this server."""
        backend = "django.core.cache.backends.redis.RedisCache"
        return {"default": {"BACKEND": backend, "LOCATION": self.url(1), "OPTIONS": options}}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=DEADLINE)


def redis_server_executable() -> str:
    """The path of ``redis-server``; the test is skipped without it (a failure with REQUIRE_SERVICES=1)."""
    executable = shutil.which("redis-server")
    if executable is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but redis-server is not installed", pytrace=False)
        pytest.skip("redis-server is not installed")
    return executable


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    """A running private Redis, stopped at the end whatever the test did to it."""
    server = PrivateRedis(redis_server_executable())
    try:
        yield server
    finally:
        server.stop()
