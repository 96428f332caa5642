"""The fault scenarios' fixture: the world, a private Redis, and this process as the web side on it.

The scenarios run only when asked (``make faults``, ``-m faults``): pyproject.toml's addopts deselect the
``faults`` marker from the default run. Each scenario starts its own worker(s) and beat (``Scenario.
start``) once it has set the scene; all are stopped before the test database is flushed.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.harness import Stack, local_redis, web_side_on
from tests.faults.world import FaultWorld, build_fault_world


@dataclass
class Scenario:
    world: FaultWorld
    stack: Stack

    def start(self, *, env: dict[str, str] | None = None) -> None:
        """A prefork worker (2 pool processes) on the default queue, and beat."""
        self.stack.start_worker(env=env)
        self.stack.start_beat()


@pytest.fixture
def scenario(transactional_db: None, tmp_path: Path) -> Iterator[Scenario]:
    fault_world = build_fault_world()  # tasks run here, eagerly: everything computed before the fault
    server = local_redis()
    stack = Stack(server, tmp_path)
    try:
        with web_side_on(server):
            yield Scenario(fault_world, stack)
    finally:
        stack.stop_all()
        server.stop()
