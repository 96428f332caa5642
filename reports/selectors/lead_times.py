"""How long each stage of a case takes (median and 90th percentile, in days), by permit route.

A stage's lead time is measured per case from the first move into its starting stage to the first move
into its ending stage, from the move log (``PlacementTransition.at``). A permit refused and filed again
counts from the first filing: the time a worker waits includes the appeal. Only cases that reached both
ends count; a case still waiting is in none of the figures (the page says how many cases each holds).

The permit route of a case is the one its explanation showed when a person last acted on the match
(shortlist, proposal, decision: the explanation a case keeps on its moves): the first route that passed,
else the first that could be opened; "route not known" when no explanation was kept (a case imported at
a later stage, an explanation from before routes were recorded).
"""

import datetime
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Case, F, Min, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from candidates.models import RecognitionStep
from projects.models import Cohort, Project
from recruitment.models import Placement, PlacementTransition
from recruitment.reason_sentences import route_label
from recruitment.selectors.funnel import funnel_registered
from recruitment.workflow import Stage
from reports.selectors.outcomes import SMALL_GROUP

EVERY_ROUTE = ""
UNKNOWN_ROUTE = "unknown"


@dataclass(frozen=True)
class LeadStage:
    code: str
    label: Promise
    start: Stage
    end: Stage


LEAD_STAGES: tuple[LeadStage, ...] = (
    LeadStage("proposal_to_offer", _("From the proposal to a job offer"), Stage.PROPOSED, Stage.OFFER),
    LeadStage("recognition", _("Diploma recognition"), Stage.RECOGNITION, Stage.PERMIT_FILED),
    LeadStage(
        "permit", _("Single permit, from filing to decision"), Stage.PERMIT_FILED, Stage.PERMIT_GRANTED
    ),
    LeadStage("travel", _("From the permit to arrival (visa, travel)"), Stage.PERMIT_GRANTED, Stage.ARRIVED),
    LeadStage("arrival_to_start", _("From arrival to the start of work"), Stage.ARRIVED, Stage.STARTED),
    LeadStage("offer_to_start", _("From the job offer to the start of work"), Stage.OFFER, Stage.STARTED),
)
_STAGES = sorted({stage.value for lead in LEAD_STAGES for stage in (lead.start, lead.end)})


@dataclass(frozen=True)
class LeadTime:
    stage: str
    label: str
    route: str  # a route's code; EVERY_ROUTE: every route together; UNKNOWN_ROUTE: not known
    route_label: str
    cases: int
    median_days: float | None  # None: no case, or fewer than SMALL_GROUP (``_median_and_p90``)
    p90_days: float | None

    @property
    def suppressed(self) -> bool:
        return 0 < self.cases < SMALL_GROUP


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (the smallest value with at least ``share`` of the values at or
    below it): always a value that occurred, never an interpolation between two cases."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _days(start: datetime.datetime, end: datetime.datetime) -> float:
    return (end - start).total_seconds() / 86400


def _route_of(routes: Any) -> str:
    """The route a case went by, from the routes of a kept explanation (a list of dicts)."""
    if not isinstance(routes, list):
        return UNKNOWN_ROUTE
    for wanted in ("eligible", "conditional"):
        for row in routes:
            if isinstance(row, dict) and row.get("outcome") == wanted and row.get("route"):
                return str(row["route"])
    return UNKNOWN_ROUTE


def _case_routes(placements: Any) -> dict[int, str]:
    """Each case's route, from the latest move whose kept explanation names one (one query)."""
    kept = (
        PlacementTransition.objects.filter(placement__in=placements)
        .exclude(explanation={})
        .order_by("placement_id", "at", "pk")
        .values_list("placement_id", "explanation__routes")
    )
    routes: dict[int, str] = {}
    for placement_id, explained in kept:  # the latest that names a route wins
        route = _route_of(explained)
        if route != UNKNOWN_ROUTE or placement_id not in routes:
            routes[placement_id] = route
    return routes


def _route_name(route: str) -> str:
    if route == EVERY_ROUTE:
        return str(_("Every route"))
    if route == UNKNOWN_ROUTE:
        return str(_("Route not known"))
    return str(route_label(route))


def _median_and_p90(values: list[float]) -> tuple[float | None, float | None]:
    """Rounded days, or None for both below ``SMALL_GROUP`` values: the nearest-rank p90 of a few cases is
    one case's exact time (of a route or an authority with a single case, the median is too), which a
    coordinator can tie to a person."""
    if len(values) < SMALL_GROUP:
        return None, None
    return round(statistics.median(values), 1), round(percentile(values, 0.9), 1)


def _summary(lead: LeadStage, route: str, values: list[float]) -> LeadTime:
    median, p90 = _median_and_p90(values)
    return LeadTime(
        stage=lead.code,
        label=str(lead.label),
        route=route,
        route_label=_route_name(route),
        cases=len(values),
        median_days=median,
        p90_days=p90,
    )


def lead_times(*, project: Project, cohort: Cohort | None = None) -> list[LeadTime]:
    """Per stage: every route together, then each route with cases, in two queries."""
    placements = Placement.objects.filter(candidate__in=funnel_registered(project, cohort).values("pk"))
    firsts = (
        placements.filter(transitions__to_stage__in=_STAGES)
        .order_by()
        .values("pk")
        .annotate(
            **{
                stage: Min(Case(When(transitions__to_stage=stage, then=F("transitions__at"))))
                for stage in _STAGES
            }
        )
    )
    durations: dict[str, dict[int, float]] = defaultdict(dict)
    for row in cast(Iterable[dict[str, Any]], firsts):  # one column per stage, named after it
        for lead in LEAD_STAGES:
            start, end = row[lead.start.value], row[lead.end.value]
            if start is not None and end is not None and end >= start:
                durations[lead.code][row["pk"]] = _days(start, end)
    # Every measured case reached the end of a stage, and every stage ends at an offer or later.
    ends = sorted({lead.end.value for lead in LEAD_STAGES})
    routes = _case_routes(placements.filter(transitions__to_stage__in=ends).values("pk")) if durations else {}
    found: list[LeadTime] = []
    for lead in LEAD_STAGES:
        by_case = durations.get(lead.code, {})
        found.append(_summary(lead, EVERY_ROUTE, list(by_case.values())))
        by_route: dict[str, list[float]] = defaultdict(list)
        for pk, days in by_case.items():
            by_route[routes.get(pk, UNKNOWN_ROUTE)].append(days)
        for route in sorted(by_route, key=lambda code: (code == UNKNOWN_ROUTE, code)):
            found.append(_summary(lead, route, by_route[route]))
    return found


@dataclass(frozen=True)
class RecognitionTime:
    authority: str  # an authority's code; EVERY_ROUTE: every authority together
    authority_label: str
    decisions: int
    median_days: float | None  # None: no decision, or fewer than SMALL_GROUP
    p90_days: float | None

    @property
    def suppressed(self) -> bool:
        return 0 < self.decisions < SMALL_GROUP


def recognition_times(*, project: Project, cohort: Cohort | None = None) -> list[RecognitionTime]:
    """How long a diploma's recognition takes, from the request to the decision (any outcome, a refusal
    too), per authority (NARIC, Zorg en Gezondheid, the licence to practise): the candidates' own
    recognition files, whether or not a case went through the recognition stage. One query."""
    decided = RecognitionStep.objects.filter(
        diploma__candidate__in=funnel_registered(project, cohort).values("pk"), decided_on__isnull=False
    ).values_list("authority", "requested_on", "decided_on")
    by_authority: dict[str, list[float]] = defaultdict(list)
    for authority, requested_on, decided_on in decided:
        if decided_on is not None:  # filtered above; the type checker does not know
            by_authority[authority].append(float((decided_on - requested_on).days))
    every = [days for values in by_authority.values() for days in values]
    labels = dict(RecognitionStep.Authority.choices)
    rows = [(EVERY_ROUTE, str(_("Every authority")), every)]
    rows += [(code, str(labels.get(code, code)), by_authority[code]) for code in sorted(by_authority)]
    found = []
    for code, label, values in rows:
        median, p90 = _median_and_p90(values)
        found.append(
            RecognitionTime(
                authority=code, authority_label=label, decisions=len(values), median_days=median, p90_days=p90
            )
        )
    return found
