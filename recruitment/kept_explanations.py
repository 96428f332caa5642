"""Explanations of stored matches kept between requests, in each web process's memory (issue 11).

Rebuilding a match's explanation runs the scalar core on the pair's current facts
(``recruitment.full_results``) and writes it out (HTML on a page, reasons as sentences in the partner
API): most of the cost of the pages and answers that show matches. An explanation changes only when
one of its inputs does, and the key names every input:
- the stored match as last written (its id and ``computed_at``): an "outdated" mark compares with it;
- the candidate's profile version and the vacancy's criteria version: every change the matching reads
  bumps one of them (the same counters that make a match stale);
- the basis the vacancy's matches were computed on (algorithm version, rules in force, reference data,
  weights: ``recruitment.adapters.basis_of``) and the reference day;
- the language, and what the caller writes (its audience, template, options).
A change to any of them is another key, so nothing is invalidated by hand; an entry not read for
``KEEP_SECONDS`` expires. What is kept is what anyone with access to the match sees of it: no
candidate's name, no action, no consent state (callers keep those live).

The cache is the ``explanations`` alias of the settings, each process's own memory (ADR 0010): a page
must not wait on Redis (ADR 0009). Should it fail, every explanation is rebuilt, as before.
"""

import datetime
import hashlib
import logging
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from django.core.cache import caches
from django.utils import translation

from recruitment.adapters import reference_date

log = logging.getLogger(__name__)

KEEP_SECONDS = 60 * 60
ALIAS = "explanations"


def kept_key(
    pk: int,
    computed_at: datetime.datetime,
    profile_version: int,
    criteria_version: int,
    matched_basis: str,
    written_as: Hashable,
) -> str:
    """The key of one match's explanation as ``written_as`` says (the caller's audience, template,
    options), for today's reference day and the active language."""
    inputs = (
        pk,
        computed_at.isoformat(),
        profile_version,
        criteria_version,
        matched_basis,
        reference_date().isoformat(),
        translation.get_language() or "",
        written_as,
    )
    return "explanation:" + hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]


def kept_read(keys: Iterable[str], kind: type | tuple[type, ...]) -> dict[str, Any]:
    """The kept values of ``keys`` that are instances of ``kind`` (anything else under a key is ignored)."""
    try:
        found = caches[ALIAS].get_many(list(keys))
    except Exception:  # the cache is an optimisation: a failing cache costs speed, never the answer
        log.warning("explanation cache unavailable: rebuilding", exc_info=True)
        return {}
    return {key: value for key, value in found.items() if isinstance(value, kind)}


def keep(values: Mapping[str, Any]) -> None:
    if not values:
        return
    try:
        caches[ALIAS].set_many(dict(values), timeout=KEEP_SECONDS)
    except Exception:  # as above: the next request rebuilds them
        log.warning("explanation cache unavailable: not kept", exc_info=True)
