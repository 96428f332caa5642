"""Per-pair plumbing shared by the vectorised matching core (``vectorised.py``, ``vectorised_routes.py``).

A pair ``i`` is candidate row ``c[i]`` against vacancy row ``v[i]`` of the columns (``columns.py``). The
helpers turn per-pair flags into reason bits (``codes.REASON_BIT``) and route statuses, mirroring the
scalar helpers they name (``routes._route_check``, ``derived.shared_isco_digits``).
"""

from dataclasses import dataclass

import numpy as np

from recruitment.matching.codes import REASON_BIT
from recruitment.matching.columns import CandidateColumns, VacancyColumns

NO_BITS = np.int64(0)  # no reason bit set


@dataclass(frozen=True)
class Pairs:
    """Pairs of candidate and vacancy rows, side by side."""

    candidates: CandidateColumns
    c: np.ndarray  # candidate row per pair
    vacancies: VacancyColumns
    v: np.ndarray  # vacancy row per pair

    def __len__(self) -> int:
        return len(self.c)

    def subset(self, index: np.ndarray) -> "Pairs":
        return Pairs(self.candidates, self.c[index], self.vacancies, self.v[index])


def bits(flags: np.ndarray, code: str) -> np.ndarray:
    """The reason bit of ``code`` where ``flags`` holds, no bit elsewhere."""
    return np.where(flags, np.int64(REASON_BIT[code]), NO_BITS)


def route_status(failures: np.ndarray, closable: np.ndarray) -> np.ndarray:
    """A route's outcome from its failures (routes._route_check): 1 passes, 2 conditional, 3 not."""
    return np.where(failures != 0, 3, np.where(closable != 0, 2, 1)).astype(np.int16)


def shared_digits(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Leading ISCO digits shared (derived.shared_isco_digits), from the prefix ids of each code."""
    return ((a == b) & (a >= 0)).sum(axis=1)


def divide(numerator: np.ndarray, denominator: np.ndarray, where: np.ndarray, otherwise: float) -> np.ndarray:
    """numerator / denominator where ``where`` holds, ``otherwise`` elsewhere."""
    out = np.full(len(numerator), otherwise, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=where)
    return out
