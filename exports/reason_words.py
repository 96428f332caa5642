"""A stored match's reason codes in a few plain words, for a spreadsheet column.

The page rebuilds each row's full explanation (the values compared, per criterion) with the scalar
core; an export of twenty thousand rows cannot. The stored compact codes (``Match.reason_bits``) say
which conditions are not met yet: here each family of codes becomes words in the reader's language,
and the permit routes that pass or can be opened (``Match.route_bits``) are named.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from recruitment.explanations import route_label
from recruitment.matching.codes import reason_codes, route_statuses
from recruitment.matching.results import Outcome
from recruitment.models import Match

# The first part of a code (before the first dot) and what it is about; route conditions are told by
# the routes column instead.
FAMILY_WORDS: dict[str, Callable[[], str]] = {
    "scope": lambda: _("outside the scope of the permit rules"),
    "relevance": lambda: _("unrelated occupation"),
    "fair_recruitment": lambda: _("recruitment fee paid by the candidate"),
    "employer": lambda: _("employer suspended"),
    "recognition": lambda: _("diploma recognition or licence to practise"),
    "language": lambda: _("language level"),
    "licence": lambda: _("driving licence or certificate"),
    "consent": lambda: _("no consent yet to share with this employer"),
    "availability": lambda: _("available too late"),
    "route": lambda: _("permit route conditions"),
}
SEPARATOR = "; "


def missing_words(match: Match) -> str:
    """What the match still lacks, one phrase per family of codes, in the registry's order."""
    families: list[str] = []
    for code in reason_codes(match.reason_bits):
        family = code.partition(".")[0]
        if family not in families:
            families.append(family)
    return SEPARATOR.join(FAMILY_WORDS[family]() if family in FAMILY_WORDS else family for family in families)


def route_words(match: Match) -> str:
    """The permit routes that pass or can be opened, with how they stand."""
    parts = []
    for route, outcome in route_statuses(match.route_bits):
        if outcome == Outcome.INELIGIBLE:
            continue
        state = _("passes") if outcome == Outcome.ELIGIBLE else _("can be opened")
        parts.append(f"{route_label(route)} ({state})")
    return SEPARATOR.join(parts)
