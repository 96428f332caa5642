"""Rendered explanations of stored matches, kept between views (issue 11).

On the recruiter's vacancy page, rebuilding and rendering the explanations of its 40 rows was about three
fifths of the page's cost. They are kept under the keys of ``recruitment.kept_explanations`` (every input
of the explanation, plus the audience, the template's source and its options), so a change to any input
is another key and nothing is invalidated by hand.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from recruitment.explanations import explain_matches
from recruitment.kept_explanations import keep, kept_key, kept_read
from recruitment.models import Match

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
    found = kept_read(keys.values(), ExplanationFragment)
    fragments = {pk: found[key] for pk, key in keys.items() if key in found}
    # A match deleted since the page read it has no key when the keys are read from the database: it is
    # rebuilt (or not) as before, never kept.
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
    keep(rebuilt)
    return fragments


def _keys(matches: Sequence[Match], audience: str, options: Mapping[str, Any]) -> dict[int, str]:
    """One key per match: its inputs as the page loaded them (both sides), else read in one query."""
    inputs = _loaded_inputs(matches)
    if inputs is None:
        inputs = list(
            Match.objects.filter(pk__in=[match.pk for match in matches]).values_list(
                "pk",
                "computed_at",
                "candidate__profile_version",
                "vacancy__criteria_version",
                "vacancy__matched_basis",
            )
        )
    written_as = (audience, tuple(sorted(options.items())), _templates_fingerprint())
    return {
        pk: kept_key(pk, computed_at, profile_version, criteria_version, basis, written_as)
        for pk, computed_at, profile_version, criteria_version, basis in inputs
    }


def _loaded_inputs(matches: Sequence[Match]) -> list[tuple[int, Any, int, int, str]] | None:
    """The keys' inputs from the matches as loaded, when each has its candidate and vacancy loaded with
    every field the key reads (the vacancy page); None otherwise (reading them would cost a query each).
    A field the query deferred is missing from the instance's ``__dict__``, as Django itself checks."""
    for match in matches:
        if not (Match.candidate.is_cached(match) and Match.vacancy.is_cached(match)):
            return None
        if not (
            "computed_at" in match.__dict__
            and "profile_version" in match.candidate.__dict__
            and "criteria_version" in match.vacancy.__dict__
            and "matched_basis" in match.vacancy.__dict__
        ):
            return None
    return [
        (
            match.pk,
            match.computed_at,
            match.candidate.profile_version,
            match.vacancy.criteria_version,
            match.vacancy.matched_basis,
        )
        for match in matches
    ]


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
