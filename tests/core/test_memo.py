"""``core.memo``: a list's filter choices are kept a few seconds per process, then read again."""

import itertools
from typing import Any

import pytest

from core import memo


@pytest.fixture(autouse=True)
def _fresh() -> None:
    memo.memo_clear()


def test_a_value_is_kept_for_its_time_then_built_again(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.READ_CACHE_SECONDS = 60
    counter = itertools.count()
    clock = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])
    assert memo.memoised("k", lambda: next(counter)) == 0
    clock[0] += 59
    assert memo.memoised("k", lambda: next(counter)) == 0
    assert memo.memoised("other", lambda: next(counter)) == 1  # one value per key
    clock[0] += 2
    assert memo.memoised("k", lambda: next(counter)) == 2


def test_nothing_is_kept_when_the_time_is_zero(settings: Any) -> None:
    settings.READ_CACHE_SECONDS = 0
    counter = itertools.count()
    assert memo.memoised("k", lambda: next(counter)) == 0
    assert memo.memoised("k", lambda: next(counter)) == 1
