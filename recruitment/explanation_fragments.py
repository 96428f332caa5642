"""Rendered explanations of stored matches, kept in the cache between views (issue 11).

Rebuilding a match's explanation runs the scalar core on the pair's current facts
(``recruitment.full_results``) and renders it: on the recruiter's vacancy page, 40 rows of it were about
three fifths of the page's cost. An explanation changes only when one of its inputs does, and the key
names every input:
- the stored match as last written (its id and ``computed_at``): the "outdated" mark compares with it;
- the candidate's profile version and the vacancy's criteria version: every change the matching reads
  bumps one of them (the same counters that make a match stale);
- the basis the vacancy's matches were computed on (algorithm version, rules in force, reference data,
  weights: ``recruitment.adapters.basis_of``) and the reference day;
- the language, the audience, the template and its options.
A change to any of them is another key, so nothing is invalidated by hand; an entry not read for
``KEEP_SECONDS`` expires. What is cached is the text shown to anyone with access to the match: no
candidate's name, no action, no consent state (those stay live on the page).

The cache is each web process's memory (the ``explanations`` cache of the settings), as the lists'
choices are (ADR 0010): a page must not wait on Redis. Should it fail, the page rebuilds every row, as it
did before.
"""

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.cache import caches
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from recruitment.adapters import reference_date
from recruitment.explanations import explain_matches
from recruitment.models import Match

log = logging.getLogger(__name__)

KEEP_SECONDS = 60 * 60
GAPS_TEMPLATE = "recruitment/includes/_gaps.html"
EXPLANATION_TEMPLATE = "recruitment/includes/_explanation.html"


@dataclass(frozen=True)
class ExplanationFragment:
    """A match's explanation as HTML: what is missing (empty when nothing is) and the whole explanation."""

    gaps: SafeString
    body: SafeString


def explanation_fragments(
    matches: Sequence[Match], *, audience: str = "staff", options: Mapping[str, Any] | None = None
) -> dict[int, ExplanationFragment]:
    """Match pk -> its rendered explanation, from the cache where it holds one, rebuilt for the rest.

    ``options`` are the explanation template's flags (``show_failed_routes``, ``hide_gaps``)."""
    options = dict(options or {})
    keys = _keys(matches, audience, options)
    found = _cached(list(keys.values()))
    fragments = {pk: found[key] for pk, key in keys.items() if key in found}
    # A match deleted since the page read it has no key: it is rebuilt (or not) as before, never kept.
    missing = [match for match in matches if match.pk not in fragments]
    if not missing:
        return fragments
    rebuilt: dict[str, ExplanationFragment] = {}
    for pk, explanation in explain_matches(missing, audience=audience).items():
        fragment = ExplanationFragment(
            gaps=_render(GAPS_TEMPLATE, {"gaps": explanation.gaps}) if explanation.gaps else mark_safe(""),
            body=_render(EXPLANATION_TEMPLATE, {"explanation": explanation, **options}),
        )
        fragments[pk] = fragment
        if pk in keys:
            rebuilt[keys[pk]] = fragment
    _keep(rebuilt)
    return fragments


def _keys(matches: Sequence[Match], audience: str, options: Mapping[str, Any]) -> dict[int, str]:
    """One key per match, its inputs read in one query whatever the page loaded of each side."""
    inputs = Match.objects.filter(pk__in=[match.pk for match in matches]).values_list(
        "pk",
        "computed_at",
        "candidate__profile_version",
        "vacancy__criteria_version",
        "vacancy__matched_basis",
    )
    shared = (
        reference_date().isoformat(),
        translation.get_language() or "",
        audience,
        sorted(options.items()),
        _templates_fingerprint(),
    )
    return {
        pk: "explanation:"
        + hashlib.sha256(repr((pk, computed_at.isoformat(), *rest, *shared)).encode()).hexdigest()[:32]
        for pk, computed_at, *rest in inputs
    }


@cache
def _templates_fingerprint() -> str:
    """The templates' own source: a deploy that changes them must not serve what the old ones rendered."""
    digest = hashlib.sha256()
    for name in (GAPS_TEMPLATE, EXPLANATION_TEMPLATE):
        template = engines["django"].get_template(name)
        digest.update(template.template.source.encode())  # type: ignore[attr-defined]
    return digest.hexdigest()[:12]


def _render(template: str, context: dict[str, Any]) -> SafeString:
    return mark_safe(render_to_string(template, context))


def _cached(keys: list[str]) -> dict[str, ExplanationFragment]:
    try:
        found = caches["explanations"].get_many(keys)
    except Exception:  # the cache is an optimisation: a failing Redis costs speed, never the page
        log.warning("explanation cache unavailable: rebuilding", exc_info=True)
        return {}
    return {key: value for key, value in found.items() if isinstance(value, ExplanationFragment)}


def _keep(fragments: dict[str, ExplanationFragment]) -> None:
    if not fragments:
        return
    try:
        caches["explanations"].set_many(fragments, timeout=KEEP_SECONDS)
    except Exception:  # as above: the next view rebuilds them
        log.warning("explanation cache unavailable: not kept", exc_info=True)
