import pytest

from tests.imports.world import ImportWorld, build_import_world
from tests.web.conftest import _fresh_cache

__all__ = ["_fresh_cache"]


@pytest.fixture
def iworld(db: None) -> ImportWorld:
    return build_import_world()
