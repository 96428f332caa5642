"""The order of an explanation's reasons, and what an employer may read of them (issue 12).

The matching core reports every condition that failed, in the order it checks them (docs/matching.md).
That is complete, and what an auditor reads in the data, but a recruiter must be able to defend it: an
ineligible truck driver would read eight reasons, "no higher-education diploma" among them, for a job no
diploma would open. ``layout`` orders and groups the same reasons, never dropping one that decides and
never changing an outcome:

1. what decides on its own leads: a blocking reason outside the permit routes (no route open, a cost the
   candidate paid, an EU nationality, a refused recognition, ...);
2. then each permit route with only what it needs and fails. A route the vacancy's function level or
   occupation rules out is summed up by that fact alone: the candidate's side of it changes nothing
   until the vacancy does;
3. then the other gaps. In every list what can be closed comes before what blocks.

An employer reads only ``EMPLOYER_SIDE`` reasons: what it can change in its own vacancy.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Reason = Mapping[str, Any]

ROUTE_PREFIXES = {
    "route.highly_skilled.": "highly_skilled",
    "route.blue_card.": "eu_blue_card",
    "route.medium.": "medium_skilled_shortage",
    "route.other.": "other_vdab_list",
    "route.trainee.": "trainee",
}
ROUTE_ORDER = tuple(ROUTE_PREFIXES.values())  # the core's order (docs/matching.md, "The permit routes")

# Failures that rule a route out for any candidate: the vacancy's function level ...
NOT_FOR_THIS_FUNCTION = frozenset(
    {
        "route.highly_skilled.function_below_vks5",
        "route.other.function_low_skilled",
        "route.other.function_above_medium_skilled",
    }
)
# ... or its occupation, absent from the route's list on the reference date.
NOT_FOR_THIS_OCCUPATION = frozenset({"route.medium.not_on_migration_list", "route.other.not_on_vdab_list"})

# What the employer can change in its vacancy (or is about the employer itself): the only reasons an
# employer reads. Everything else is the candidate's side, and which of the candidate's conditions made
# a route pass or fail (an age, a diploma, a nationality, a recognition) is not the employer's to learn.
# Left out on purpose: the highly skilled salary (whether it falls short depends on the candidate's age:
# the reduced threshold applies under 30) and a missing threshold (it names the reduced category).
EMPLOYER_SIDE = frozenset(
    {
        "employer.suspended",
        "scope.region_not_flanders",
        "route.blue_card.salary_below_threshold",  # one threshold for every candidate
        "route.blue_card.contract_too_short",
        "route.blue_card.contract_duration_unknown",
        "route.medium.pay_category_unconfirmed",
        "route.medium.pay_below_skilled",
        "route.medium.secondment",
        "route.other.not_published",
        "route.other.publication_outdated",
        "route.other.publication_too_short",
        "availability.late",  # the employer may move the start date
    }
)


def code_of(reason: Reason) -> str:
    return str(reason.get("code", ""))


def route_of(reason: Reason) -> str:
    """The permit route a failure belongs to ("" for a reason outside the routes, ``route.none`` too)."""
    code = code_of(reason)
    if code == "route.threshold_unknown":
        return str((reason.get("params") or {}).get("route", ""))
    return next((route for prefix, route in ROUTE_PREFIXES.items() if code.startswith(prefix)), "")


def closable_first(reasons: Iterable[Reason]) -> list[Reason]:
    """Closable before blocking; otherwise the core's order (a stable sort)."""
    return sorted(reasons, key=lambda reason: not reason.get("closable"))


@dataclass(frozen=True)
class RouteFailures:
    route: str
    reasons: list[Reason]  # only what the route needs and fails, closable first
    ruled_out_by: str  # "function" or "occupation" when the vacancy rules the route out, else ""


def route_failures(route: str, reasons: Sequence[Reason]) -> RouteFailures:
    """What a failed route needs and fails. A route the vacancy's function level or occupation rules
    out is summed up by those facts: no candidate could meet it, so the candidate's side is moot."""
    function = [r for r in reasons if code_of(r) in NOT_FOR_THIS_FUNCTION]
    occupation = [r for r in reasons if code_of(r) in NOT_FOR_THIS_OCCUPATION]
    if function or occupation:
        ruled_out = [r for r in reasons if code_of(r) in NOT_FOR_THIS_FUNCTION | NOT_FOR_THIS_OCCUPATION]
        return RouteFailures(route, ruled_out, "function" if function else "occupation")
    return RouteFailures(route, closable_first(reasons), "")


@dataclass(frozen=True)
class Layout:
    decisive: list[Reason]  # blocking reasons outside the routes: each excludes the pair on its own
    routes: list[RouteFailures]  # the failed routes' reasons, in the core's route order
    others: list[Reason]  # the rest (language, licences, consent, ...), closable first


def layout(reasons: Sequence[Reason]) -> Layout:
    """A result's reasons (``MatchResult.as_dict()["reasons"]``) in the order a reader needs them."""
    decisive: list[Reason] = []
    by_route: dict[str, list[Reason]] = {}
    others: list[Reason] = []
    for reason in reasons:
        route = route_of(reason)
        if route:
            by_route.setdefault(route, []).append(reason)
        elif reason.get("closable"):
            others.append(reason)
        else:
            decisive.append(reason)
    order = sorted(by_route, key=lambda r: ROUTE_ORDER.index(r) if r in ROUTE_ORDER else len(ROUTE_ORDER))
    return Layout(
        decisive=decisive,
        routes=[route_failures(route, by_route[route]) for route in order],
        others=closable_first(others),
    )


def permit_outcome(routes: Iterable[Mapping[str, Any]]) -> str:
    """Whether a permit route is open ("eligible"), can be opened ("conditional") or none ("ineligible"):
    all an employer learns of the routes (``MatchResult.as_dict()["routes"]``)."""
    outcomes = {str(row.get("outcome", "")) for row in routes}
    return next((o for o in ("eligible", "conditional") if o in outcomes), "ineligible")
