"""The explanation of a match, in the user's language: the score per criterion, what is missing, the
permit routes (docs/matching.md). Reasons become sentences in ``recruitment.reason_sentences``; the order
they are shown in, and what an employer may read of them, in ``recruitment.explanation_layout``.

An employer (``audience="employer"``) learns whether a permit route is open and what it can change in its
vacancy, never which of the candidate's conditions made a route pass or fail: which route opens can tell
an age (the reduced highly skilled threshold applies under 30), a diploma or a recognition.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from recruitment.adapters import reference_date
from recruitment.explanation_layout import (
    EMPLOYER_SIDE,
    closable_first,
    code_of,
    layout,
    permit_outcome,
    route_failures,
)
from recruitment.full_results import differs_from_stored, match_results
from recruitment.models import Match
from recruitment.reason_sentences import (
    READER_SENTENCES,
    SENTENCES,
    Reader,
    criterion_label,
    outcome_label,
    reason_sentence,
    route_label,
)

# What the pages, the partner API and the vacancy check import from here.
__all__ = [
    "READER_SENTENCES",
    "SENTENCES",
    "Explanation",
    "explain_data",
    "explain_match",
    "explain_matches",
    "reason_sentence",
    "route_label",
    "stage_verb",
]


# --- A whole match ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplainedReason:
    code: str
    sentence: str
    closable: bool
    under_way: bool
    closes_by: datetime.date | None


@dataclass(frozen=True)
class ExplainedCriterion:
    code: str
    label: str
    earned: float
    possible: float
    sentence: str

    @property
    def percent(self) -> int:
        """The share of the criterion's points earned, for a bar."""
        return round(100 * self.earned / self.possible) if self.possible else 0


@dataclass(frozen=True)
class ExplainedRoute:
    code: str
    label: str
    outcome: str
    outcome_label: str
    reasons: list[ExplainedReason]  # a failed route: only what it needs and fails, closable first
    note: str = ""  # why no candidate can use it: "not applicable to this function", ...


@dataclass(frozen=True)
class Explanation:
    criteria: list[ExplainedCriterion]
    gaps: list[ExplainedReason]  # what decides first, then each route's failures, then the other gaps
    routes: list[ExplainedRoute]  # none for an employer: which route opens can tell an age
    # The stored row says otherwise: the facts changed since it was computed and a recompute is on its
    # way; this explanation is of the current facts.
    outdated: bool = False
    audience: str = "staff"
    permit: str = ""  # whether a permit route is open: "eligible", "conditional" or "ineligible"

    @property
    def open_routes(self) -> list[ExplainedRoute]:
        return [route for route in self.routes if route.outcome == "eligible"]

    @property
    def permit_sentence(self) -> str:
        """What an employer learns of the permit routes: one is open, can be opened, or none is."""
        if self.permit == "eligible":
            return _("A single-permit route is open for this candidate.")
        if self.permit == "conditional":
            return _("A single-permit route can be opened once what is missing is done.")
        return _("No single-permit route is open for this candidate as things stand.")


def _explained(reason: Mapping[str, Any], reader: Reader, *, sentence: str = "") -> ExplainedReason:
    closes_by = reason.get("closes_by")
    try:
        closes_on = datetime.date.fromisoformat(closes_by) if closes_by else None
    except ValueError:
        closes_on = None
    return ExplainedReason(
        code=str(reason.get("code", "")),
        sentence=sentence or reason_sentence(reason, audience=reader.audience, on=reader.on),
        closable=bool(reason.get("closable")),
        under_way=bool(reason.get("under_way")),
        closes_by=closes_on,
    )


def _route_note(ruled_out_by: str) -> str:
    return {
        "function": _("not applicable to this function"),
        "occupation": _("not open to this occupation"),
    }.get(ruled_out_by, "")


def _route_gap(route: str, ruled_out_by: str, reason: Mapping[str, Any], reader: Reader) -> ExplainedReason:
    """A route's failure among the gaps, named after its route ("EU Blue Card: ...")."""
    values = {
        "route": route_label(route),
        "note": _route_note(ruled_out_by),
        "reason": reason_sentence(reason, audience=reader.audience, on=reader.on),
    }
    if ruled_out_by:
        return _explained(reason, reader, sentence=_("%(route)s, %(note)s: %(reason)s") % values)
    return _explained(reason, reader, sentence=_("%(route)s: %(reason)s") % values)


def _staff_gaps(reasons: list[Mapping[str, Any]], reader: Reader) -> list[ExplainedReason]:
    grouped = layout(reasons)
    return (
        [_explained(reason, reader) for reason in grouped.decisive]
        + [
            _route_gap(failures.route, failures.ruled_out_by, reason, reader)
            for failures in grouped.routes
            for reason in failures.reasons
        ]
        + [_explained(reason, reader) for reason in grouped.others]
    )


def _employer_gaps(reasons: list[Mapping[str, Any]], reader: Reader) -> list[ExplainedReason]:
    """What the employer can change, and one line for the rest: the recruiter follows it up."""
    shown = [
        _explained(reason, reader) for reason in closable_first(reasons) if code_of(reason) in EMPLOYER_SIDE
    ]
    # "No permit route" is the permit sentence's to say.
    rest = [r for r in reasons if code_of(r) not in EMPLOYER_SIDE and code_of(r) != "route.none"]
    if rest:
        shown.append(
            ExplainedReason(
                code="recruiter.follows_up",
                sentence=_("Other conditions are still open; the recruiter follows them up."),
                closable=all(r.get("closable") for r in rest),
                under_way=all(r.get("under_way") for r in rest),
                closes_by=None,
            )
        )
    return shown


def _route(row: Mapping[str, Any], reader: Reader) -> ExplainedRoute:
    route, outcome = str(row.get("route", "")), str(row.get("outcome", ""))
    reasons = list(row.get("reasons") or [])
    ruled_out_by = ""
    if outcome != "eligible":
        failures = route_failures(route, reasons)
        reasons, ruled_out_by = failures.reasons, failures.ruled_out_by
    return ExplainedRoute(
        code=route,
        label=route_label(route),
        outcome=outcome,
        outcome_label=outcome_label(outcome),
        reasons=[_explained(reason, reader) for reason in reasons],
        note=_route_note(ruled_out_by),
    )


def _criterion_reason(row: Mapping[str, Any], data: Mapping[str, Any]) -> Mapping[str, Any]:
    """A criterion's reason, with what another criterion knows that its sentence must not contradict:
    the occupation fit learns the occupation share of the candidate's wishes (``preferences.match``)."""
    reason: Mapping[str, Any] = row.get("reason") or {}
    if row.get("code") != "occupation":
        return reason
    for other in data.get("breakdown") or []:
        if other.get("code") == "preferences":
            wish = ((other.get("reason") or {}).get("params") or {}).get("occupation")
            return {**reason, "params": {**(reason.get("params") or {}), "wish": wish}}
    return reason


def explain_data(
    data: Mapping[str, Any],
    *,
    audience: str = "staff",
    outdated: bool = False,
    on: datetime.date | None = None,
) -> Explanation:
    """A result as plain data (``MatchResult.as_dict``, or an explanation frozen on a case) as sentences.

    ``on``: the reference date the result was computed for, when ``data`` does not say (a kept
    explanation does); None: today's."""
    kept_on = data.get("reference_date")
    reader = Reader(audience=audience, on=datetime.date.fromisoformat(kept_on) if kept_on else on)
    criteria = [
        ExplainedCriterion(
            code=str(row.get("code", "")),
            label=criterion_label(str(row.get("code", ""))),
            earned=float(row.get("earned") or 0),
            possible=float(row.get("possible") or 0),
            sentence=reason_sentence(_criterion_reason(row, data), audience=audience, on=reader.on),
        )
        for row in data.get("breakdown") or []
    ]
    reasons = list(data.get("reasons") or [])
    route_rows = data.get("routes") or []
    if audience == "employer":
        # Whether a route is open, not which: a route open only on the reduced (under 30) threshold
        # would otherwise read differently from one open on the salary.
        gaps, routes = _employer_gaps(reasons, reader), []
    else:
        gaps, routes = _staff_gaps(reasons, reader), [_route(row, reader) for row in route_rows]
    return Explanation(
        criteria=criteria,
        gaps=gaps,
        routes=routes,
        outdated=outdated,
        audience=audience,
        permit=permit_outcome(route_rows),
    )


def explain_matches(matches: Iterable[Match], *, audience: str = "staff") -> dict[int, Explanation]:
    """Match pk -> its explanation, rebuilt by the scalar core for these rows only (a page, never a
    whole list: ``recruitment.full_results``), on today's reference date."""
    rows = list(matches)
    results = match_results((m.vacancy_id, m.candidate_id) for m in rows)
    on = reference_date()
    explained: dict[int, Explanation] = {}
    for match in rows:
        result = results.get((match.vacancy_id, match.candidate_id))
        if result is not None:
            outdated = differs_from_stored(result, match)
            explained[match.pk] = explain_data(result.as_dict(), audience=audience, outdated=outdated, on=on)
    return explained


def explain_match(match: Match | None, *, audience: str = "staff") -> Explanation | None:
    """The explanation of one stored match (None without a match)."""
    if match is None:
        return None
    return explain_matches([match], audience=audience).get(match.pk)


def stage_verb(stage: str, *, internship: bool = False) -> str:
    """The label of a button that moves a case to ``stage`` (an action, not a state); ``internship``: the
    case is on an internship vacancy, whose start is the internship's (docs/pathways/internships.md)."""
    if internship and stage == "started":
        return pgettext("move", "Internship started")
    return {
        "proposed": pgettext("move", "Propose to the employer"),
        "employer_interested": pgettext("move", "Invite to an interview"),
        "employer_declined": pgettext("move", "Decline"),
        "interview": pgettext("move", "Interview planned"),
        "offer": pgettext("move", "Make an offer"),
        "offer_accepted": pgettext("move", "Offer accepted"),
        "recognition": pgettext("move", "Start diploma recognition"),
        "permit_filed": pgettext("move", "Single permit filed"),
        "permit_granted": pgettext("move", "Permit granted"),
        "permit_refused": pgettext("move", "Permit refused"),
        "visa": pgettext("move", "Visa"),
        "arrived": pgettext("move", "Arrived in Belgium"),
        "started": pgettext("move", "Started work"),
        "employed_6m": pgettext("move", "Still employed after 6 months"),
        "employed_12m": pgettext("move", "Still employed after 12 months"),
        "internship_completed": pgettext("move", "Internship completed"),
        "returned": pgettext("move", "Returned home"),
        "ended": pgettext("move", "End the case"),
        "withdrawn": pgettext("move", "Withdraw"),
    }.get(stage, stage)
