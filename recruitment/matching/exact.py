"""NumPy arithmetic that gives, element by element, the very float the scalar core's Python gives.

The vectorised path must reproduce the scalar core to the cent (``vectorised.py``), so it cannot use
NumPy's own rounding or summation where they differ from Python's:

- ``round(x, n)`` in Python rounds the exact binary value of ``x`` half to even; ``np.round`` multiplies
  by 10**n first, which itself rounds, and then disagrees near halves (``round(1.00005, 4)`` is 1.0001,
  ``np.round(1.00005, 4)`` is 1.0). ``round_like_python`` decides on the exact product instead.
- Sums: the scalar core adds left to right (``derived.add_up``); ``np.sum`` adds pairwise. The segment
  sums below add each segment's values in their order, one addition per position.

Elementwise ``+ - * /`` are correctly rounded IEEE operations in both, so the same operations in the
same order give the same bits.
"""

import itertools

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1: splits a float64 into two halves whose products are exact


def round_like_python(x: np.ndarray, digits: int) -> tuple[np.ndarray, np.ndarray]:
    """``round(value, digits)`` for every element (values >= 0 and below 2**40), and the rounded value as
    a whole number of 10**-digits (e.g. cents for ``digits=2``).

    Python returns the float nearest to the decimal nearest to ``x`` (ties to even). The product
    ``x * 10**digits`` is split into its float ``p`` and its exact error ``e`` (Dekker's product, the
    scale being small enough not to need splitting), so ``p + e`` is the exact product and the side of
    the half-way point is decided without rounding. Dividing the whole number by the scale is then
    correctly rounded: the nearest float to the decimal, as Python's ``float(str)`` gives.
    """
    scale = float(10**digits)
    values = np.asarray(x, dtype=np.float64)
    product = values * scale
    split = _SPLITTER * values
    high = split - (split - values)
    low = values - high
    error = (high * scale - product) + low * scale
    whole = np.floor(product)
    above_half = (product - (whole + 0.5)) + error
    odd = np.fmod(whole, 2.0) != 0
    rounded = whole + ((above_half > 0) | ((above_half == 0) & odd))
    return rounded / scale, rounded.astype(np.int64)


def expand(offsets: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every child of every pair: ``owners[p]`` owns children ``offsets[owner]:offsets[owner + 1]``.

    Returns, per child of a pair: the pair's index, the child's index in the flat arrays, and its
    position among the pair's children (0, 1, ...). Pairs come in order, children in their order.
    """
    starts = offsets[owners]
    counts = offsets[owners + 1] - starts
    total = int(counts.sum())
    pair = np.repeat(np.arange(len(owners), dtype=np.int64), counts)
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return pair, empty, empty
    block_start = np.cumsum(counts) - counts
    position = np.arange(total, dtype=np.int64) - np.repeat(block_start, counts)
    return pair, np.repeat(starts, counts) + position, position


def add_in_order(values: np.ndarray, pair: np.ndarray, position: np.ndarray, n: int) -> np.ndarray:
    """Per pair, the left-to-right sum of its values (0.0 without any), as ``derived.add_up`` adds them.

    One vectorised addition per position: every pair's first values, then every pair's second, ...
    """
    total = np.zeros(n, dtype=np.float64)
    if len(values) == 0:
        return total
    order = np.argsort(position, kind="stable")
    bounds = np.searchsorted(position[order], np.arange(int(position.max()) + 2))
    for start, end in itertools.pairwise(bounds):
        chosen = order[start:end]
        total[pair[chosen]] += values[chosen]  # one child per pair at a given position: no collision
    return total


def segment_max(values: np.ndarray, pair: np.ndarray, n: int, initial: float) -> np.ndarray:
    """Per pair, the largest of ``initial`` and its values."""
    best = np.full(n, initial, dtype=np.float64)
    np.maximum.at(best, pair, values)
    return best


def segment_any(flags: np.ndarray, pair: np.ndarray, n: int) -> np.ndarray:
    """Per pair, whether any of its values is true."""
    result = np.zeros(n, dtype=bool)
    result[pair[flags]] = True
    return result
