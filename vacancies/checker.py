"""The pre-publication checker: what in a vacancy will block international recruitment, before publication.

PURE PYTHON: the vacancy's facts and the reference data valid on the checked day come in as frozen
dataclasses (``vacancies.checks`` gathers them from the database); findings go out as codes with their
values. No Django, no ORM, no clock: the same input always gives the same findings, and the tests need
no database. Sentences in the user's language are made from the codes elsewhere
(``recruitment.vacancy_findings``).

What "blocking" means here: no Flemish single-permit route stays open for the vacancy as it is written
(domain.md 1.4-1.6, 2.2), so no candidate from outside the EU could get a permit for it. A shortfall that
closes one route while another stays open is a warning. An error is worse: the vacancy breaks the law as
written (a salary under the Belgian minimum wage), so nobody may be hired on it and it is not published.
The routes and their vacancy-side conditions mirror the matching core (``recruitment.matching.routes``)
and ``recruitment.selectors.vacancy_outlooks``; the candidate's side (diplomas, age, qualifications) is
the matching's business, not the checker's.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

FLEMISH_REGION = "VLG"
# Belgian contracts pay 13.92 months a year (13th month and holiday pay): annual / 13.92 = monthly
# (domain.md 1.5; the same factor as reference.models.SalaryThreshold.MONTHS_PER_YEAR).
MONTHS_PER_YEAR = Decimal("13.92")
# Dates on which a vacancy-side rule changed (the same as in recruitment.matching.routes).
FUNCTION_VKS_RULE_FROM = datetime.date(2026, 1, 1)  # highly skilled: the function itself VKS >= 5
HIGHLY_SKILLED_MIN_FUNCTION_VKS = 5
BLUE_CARD_SIX_MONTHS_FROM = datetime.date(2024, 5, 1)  # Blue Card: contract of 6 months (was 12)
OTHER_MEDIUM_ONLY_FROM = datetime.date(2026, 1, 1)  # "other" route: VKS 2 functions no longer admitted
OTHER_MAXIMUM_FUNCTION_VKS = 4  # "other" route: low- and medium-skilled functions only
# A single permit takes about 90 days from a complete file (Directive 2024/1233; 60-135 days in
# practice, domain.md 1.3): a start date sooner than this cannot be met by a candidate from abroad.
PERMIT_LEAD_DAYS = 90
# The Belgian minimum wage is set for full time, 38 hours a week, and applies pro rata to part time
# (NAR/CNT collective agreement no. 43; reference.minimum_wage).
FULL_TIME_WEEKLY_HOURS = Decimal(38)


class Severity(StrEnum):
    ERROR = "error"  # unlawful as written (under the minimum wage): it cannot be published at all
    BLOCKING = "blocking"  # no permit route open: no candidate from outside the EU can get a permit
    WARNING = "warning"  # a route closes, or matching cannot judge something, but recruitment is possible
    INFO = "info"  # worth knowing; changes nothing on its own


class Route(StrEnum):
    HIGHLY_SKILLED = "highly_skilled"
    EU_BLUE_CARD = "eu_blue_card"
    MEDIUM_SKILLED_SHORTAGE = "medium_skilled_shortage"
    OTHER_VDAB_LIST = "other_vdab_list"
    TRAINEE = "trainee"  # an internship's only route (recruitment.matching.routes.check_trainee)


class ListKind(StrEnum):
    """The Flemish shortage lists that open a route (reference.models.ShortageList.Kind values)."""

    VDAB_SHORTAGE = "vdab_shortage"
    MIGRATION_MEDIUM_SKILLED = "migration_medium_skilled"


class ThresholdCategory(StrEnum):
    """reference.models.SalaryThreshold.Category values."""

    HIGHLY_SKILLED = "highly_skilled"
    HIGHLY_SKILLED_REDUCED = "highly_skilled_reduced"
    MANAGER = "manager"
    EU_BLUE_CARD = "eu_blue_card"


# Pay categories of the joint committee that meet the medium-skilled route's "geschoold" minimum; an
# empty category is not known yet and is not held against the vacancy.
SKILLED_PAY_CATEGORIES = frozenset({"", "skilled", "highly_skilled"})

Param = str | int | bool


@dataclass(frozen=True)
class VacancyTerms:
    """What the employer wrote that the permit routes look at."""

    region: str  # VLG, BRU, WAL, DG
    gross_annual_salary_eur: Decimal
    function_vks_level: int
    contract_type: str  # "indefinite" or "fixed_term"
    contract_months: int | None
    pay_category: str  # "" when not given
    is_secondment: bool
    start_date: datetime.date | None
    language_requirement_count: int
    weekly_hours: Decimal
    kind: str = "employment"  # vacancies.models.Vacancy.Kind: an internship has the trainee rules


@dataclass(frozen=True)
class CheckReference:
    """The reference data valid on ``day`` (the start date, or today when there is none or it has
    passed), for the Flemish Region, whether any shortage list is loaded for that day at all, and the
    Belgian minimum wage for full time on that day (None when none is recorded)."""

    today: datetime.date
    day: datetime.date
    thresholds: Mapping[str, Decimal]  # ThresholdCategory value -> gross annual amount
    lists_known: bool  # at least one Flemish shortage list is valid on ``day``
    occupation_list_kinds: frozenset[str] = field(default_factory=frozenset)  # lists naming the occupation
    minimum_monthly_wage: Decimal | None = None
    # Parts applied provisionally, the day's not being published yet (reference.in_force):
    # ("thresholds" or a list kind, published from, published to), ISO dates, "" for an open end.
    provisional: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    params: Mapping[str, Param] = field(default_factory=dict)
    route: str = ""  # the route it closes, if any

    @property
    def blocking(self) -> bool:
        return self.severity == Severity.BLOCKING


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    open_routes: tuple[str, ...]
    day: datetime.date

    @property
    def blocking(self) -> bool:
        return any(finding.blocking for finding in self.findings)

    @property
    def refused(self) -> bool:
        """The vacancy cannot be published as it is written."""
        return any(finding.severity == Severity.ERROR for finding in self.findings)


def monthly(annual: Decimal) -> Decimal:
    return (annual / MONTHS_PER_YEAR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01")))


def check_day(start_date: datetime.date | None, today: datetime.date) -> datetime.date:
    """The day the lists and thresholds are taken on: the start date, or today if none or past."""
    if start_date is None or start_date < today:
        return today
    return start_date


# --- One function per route: the shortfalls that close it (empty: the route is open) ---------------


def _highly_skilled(terms: VacancyTerms, ref: CheckReference) -> tuple[list[Finding], list[Finding]]:
    """Closing findings and informative ones. The reduced threshold (under 30, nurses, teachers) is only
    information: whether it applies depends on the candidate, and the employer must not pick by age."""
    closing: list[Finding] = []
    info: list[Finding] = []
    route = Route.HIGHLY_SKILLED
    full = ref.thresholds.get(ThresholdCategory.HIGHLY_SKILLED)
    reduced = ref.thresholds.get(ThresholdCategory.HIGHLY_SKILLED_REDUCED)
    salary = terms.gross_annual_salary_eur
    if full is not None and salary < full:
        closing.append(_below(route, salary, full, ref.day))
        if reduced is not None and salary >= reduced:
            info.append(
                Finding(
                    "salary.meets_reduced_threshold",
                    Severity.INFO,
                    {
                        "threshold": _money(reduced),
                        "threshold_monthly": _money(monthly(reduced)),
                        "day": ref.day.isoformat(),
                    },
                    route,
                )
            )
    if ref.day >= FUNCTION_VKS_RULE_FROM and terms.function_vks_level < HIGHLY_SKILLED_MIN_FUNCTION_VKS:
        closing.append(
            Finding(
                "function.below_highly_skilled_level",
                Severity.WARNING,
                {"level": terms.function_vks_level, "minimum": HIGHLY_SKILLED_MIN_FUNCTION_VKS},
                route,
            )
        )
    return closing, info


def _blue_card(terms: VacancyTerms, ref: CheckReference) -> list[Finding]:
    closing: list[Finding] = []
    route = Route.EU_BLUE_CARD
    threshold = ref.thresholds.get(ThresholdCategory.EU_BLUE_CARD)
    if threshold is not None and terms.gross_annual_salary_eur < threshold:
        closing.append(_below(route, terms.gross_annual_salary_eur, threshold, ref.day))
    minimum_months = 6 if ref.day >= BLUE_CARD_SIX_MONTHS_FROM else 12
    if terms.contract_type == "fixed_term" and (terms.contract_months or 0) < minimum_months:
        closing.append(
            Finding(
                "contract.too_short_for_blue_card",
                Severity.WARNING,
                {"months": terms.contract_months or 0, "minimum": minimum_months},
                route,
            )
        )
    return closing


def _medium_skilled(terms: VacancyTerms, ref: CheckReference) -> list[Finding]:
    route = Route.MEDIUM_SKILLED_SHORTAGE
    if ListKind.MIGRATION_MEDIUM_SKILLED not in ref.occupation_list_kinds:
        return [Finding("occupation.not_on_migration_list", Severity.WARNING, {}, route)]
    closing: list[Finding] = []
    if terms.pay_category not in SKILLED_PAY_CATEGORIES:
        closing.append(
            Finding("pay.below_skilled_category", Severity.WARNING, {"category": terms.pay_category}, route)
        )
    if terms.is_secondment:
        closing.append(Finding("contract.secondment_excluded", Severity.WARNING, {}, route))
    return closing


def _other(terms: VacancyTerms, ref: CheckReference) -> list[Finding]:
    route = Route.OTHER_VDAB_LIST
    if ListKind.VDAB_SHORTAGE not in ref.occupation_list_kinds:
        return [Finding("occupation.not_on_vdab_list", Severity.WARNING, {}, route)]
    minimum = 3 if ref.day >= OTHER_MEDIUM_ONLY_FROM else 2
    level = terms.function_vks_level
    params: dict[str, Param]
    if level < minimum:
        code, params = "function.below_other_route_level", {"level": level, "minimum": minimum}
    elif level > OTHER_MAXIMUM_FUNCTION_VKS:
        # A highly skilled function has its own routes; "other" is not one of them, however long published.
        code, params = (
            "function.above_other_route_level",
            {"level": level, "maximum": OTHER_MAXIMUM_FUNCTION_VKS},
        )
    else:
        return []
    return [Finding(code, Severity.WARNING, params, route)]


def _below(route: Route, salary: Decimal, threshold: Decimal, day: datetime.date) -> Finding:
    return Finding(
        "salary.below_threshold",
        Severity.WARNING,
        {
            "route": route.value,
            "salary": _money(salary),
            "salary_monthly": _money(monthly(salary)),
            "threshold": _money(threshold),
            "threshold_monthly": _money(monthly(threshold)),
            "day": day.isoformat(),
        },
        route,
    )


# --- An internship: the trainee rules instead of the routes above ---------------------------------
#
# The same sources and dates as recruitment.matching.routes (TRAINEE_*), checked on 6 Dec 2026 and set out
# in docs/pathways/internships.md: vlaanderen.be "stagiair in/na opleiding" (a full-time traineeship of 3
# to 6 months, renewable once by up to 6) and BOSA's page for the host entity. The candidate's side (a
# recent higher-education diploma, outside the EU at the application) is the matching's business.
INTERNSHIP = "internship"
TRAINEE_MIN_MONTHS = 3
TRAINEE_MAX_MONTHS = 6


def _trainee_findings(terms: VacancyTerms) -> tuple[list[Finding], list[str]]:
    """The trainee rules on the vacancy's side, and whether the trainee route stays open."""
    route = Route.TRAINEE
    bounds: dict[str, Param] = {"minimum": TRAINEE_MIN_MONTHS, "maximum": TRAINEE_MAX_MONTHS}
    findings = [Finding("trainee.route_applies", Severity.INFO, bounds, route)]
    months = terms.contract_months
    if months is None:
        findings.append(Finding("trainee.duration_missing", Severity.WARNING, bounds, route))
    elif not TRAINEE_MIN_MONTHS <= months <= TRAINEE_MAX_MONTHS:
        # The sources disagree on the duration (3-6 months on the current Dutch page, up to 12 on the older
        # English one; docs/pathways/internships.md, "Unverified"): a warning to confirm with the authority,
        # like the pay, not a block stated as law. The matching treats it alike (closable).
        findings.append(
            Finding("trainee.duration_out_of_range", Severity.WARNING, {"months": months, **bounds}, route)
        )
    if terms.weekly_hours < FULL_TIME_WEEKLY_HOURS:
        # Both Flemish pages say full-time; 38 hours is the usual full-time week, but a joint committee may
        # set fewer, so this is a warning to check, not a refusal.
        hours = format(terms.weekly_hours.normalize(), "f")
        findings.append(Finding("trainee.not_full_time", Severity.WARNING, {"hours": hours}, route))
    blocked = any(finding.blocking for finding in findings)
    return findings, [] if blocked else [route.value]


def _trainee_pay(unlawful: list[Finding]) -> list[Finding]:
    """Pay under the minimum wage on an internship: the sources disagree on whether a trainee must earn
    it (the older English page says so, the current Dutch one does not say), so it is a warning to check,
    never stated as law, and it does not refuse publication (docs/pathways/internships.md, "Unverified")."""
    return [Finding("trainee.pay_below_minimum_wage", Severity.WARNING, f.params) for f in unlawful]


# --- The whole check ---------------------------------------------------------------------------------


def _as(finding: Finding, severity: Severity) -> Finding:
    return Finding(finding.code, severity, finding.params, finding.route)


def _route_findings(terms: VacancyTerms, ref: CheckReference) -> tuple[list[Finding], list[str]]:
    highly_closing, info = _highly_skilled(terms, ref)
    by_route: dict[Route, list[Finding]] = {
        Route.HIGHLY_SKILLED: highly_closing,
        Route.EU_BLUE_CARD: _blue_card(terms, ref),
        Route.MEDIUM_SKILLED_SHORTAGE: _medium_skilled(terms, ref),
        Route.OTHER_VDAB_LIST: _other(terms, ref),
    }
    # A route whose threshold is not recorded for the day is neither open nor closed: it is unknown,
    # and while one is unknown nothing is called blocking.
    threshold_of = {
        Route.HIGHLY_SKILLED: ThresholdCategory.HIGHLY_SKILLED,
        Route.EU_BLUE_CARD: ThresholdCategory.EU_BLUE_CARD,
    }
    unknown = [route for route, category in threshold_of.items() if category not in ref.thresholds]
    open_routes = [route.value for route, closing in by_route.items() if not closing and route not in unknown]
    # With no list known for the day, "not on a list" would be a guess: say the lists are missing instead.
    list_codes = {"occupation.not_on_migration_list", "occupation.not_on_vdab_list"}
    findings: list[Finding] = []
    not_listed = all(
        any(f.code in list_codes for f in by_route[route])
        for route in (Route.MEDIUM_SKILLED_SHORTAGE, Route.OTHER_VDAB_LIST)
    )
    severity = Severity.WARNING if open_routes or unknown else Severity.BLOCKING
    for closing in by_route.values():
        for finding in closing:
            if finding.code in list_codes:
                continue  # summarised below in one finding about the lists
            findings.append(_as(finding, severity))
    if not ref.lists_known:
        findings.append(
            Finding("reference.no_shortage_lists", Severity.WARNING, {"day": ref.day.isoformat()})
        )
    elif not_listed:
        findings.append(Finding("occupation.not_on_shortage_list", severity, {"day": ref.day.isoformat()}))
    else:
        for route in (Route.MEDIUM_SKILLED_SHORTAGE, Route.OTHER_VDAB_LIST):
            for finding in by_route[route]:
                if finding.code in list_codes:
                    # On one list but not the other: information, the other list's route is open or
                    # closed for its own reasons listed above.
                    findings.append(_as(finding, Severity.INFO))
    findings.extend(info)
    for route in unknown:
        findings.append(
            Finding(
                "reference.no_threshold", Severity.WARNING, {"route": route.value, "day": ref.day.isoformat()}
            )
        )
    return findings, open_routes


def _minimum_wage(terms: VacancyTerms, ref: CheckReference) -> list[Finding]:
    """The monthly salary (annual / 13.92, as the form and the pages show it) against the guaranteed
    minimum monthly income pro rata for the weekly hours. It binds every employer in Belgium, whatever
    the region or the permit route."""
    if ref.minimum_monthly_wage is None:
        return []
    minimum = (ref.minimum_monthly_wage * terms.weekly_hours / FULL_TIME_WEEKLY_HOURS).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    salary = monthly(terms.gross_annual_salary_eur)
    if salary >= minimum:
        return []
    params: dict[str, Param] = {
        "salary_monthly": _money(salary),
        "minimum_monthly": _money(minimum),
        "hours": format(terms.weekly_hours.normalize(), "f"),  # "38", "30.5"
        "day": ref.day.isoformat(),
    }
    return [Finding("salary.below_minimum_wage", Severity.ERROR, params)]


def _start_date(terms: VacancyTerms, ref: CheckReference) -> list[Finding]:
    if terms.start_date is None:
        return [Finding("start_date.missing", Severity.WARNING, {"day": ref.day.isoformat()})]
    if terms.start_date < ref.today:
        return [Finding("start_date.past", Severity.WARNING, {"start_date": terms.start_date.isoformat()})]
    earliest = ref.today + datetime.timedelta(days=PERMIT_LEAD_DAYS)
    if terms.start_date < earliest:
        return [
            Finding(
                "start_date.before_permit_lead_time",
                Severity.WARNING,
                {"start_date": terms.start_date.isoformat(), "earliest": earliest.isoformat()},
            )
        ]
    return []


def check_vacancy(terms: VacancyTerms, ref: CheckReference) -> CheckResult:
    """Every finding for the vacancy, the most serious first (stable order within a severity)."""
    internship = terms.kind == INTERNSHIP
    if terms.region != FLEMISH_REGION:
        # Matching knows the Flemish rules only (the region of work decides on the permit, domain.md 1.1).
        findings = [Finding("region.not_flanders", Severity.BLOCKING, {"region": terms.region})]
        open_routes: list[str] = []
    elif internship:
        # A traineeship is not employment under a single permit: the four routes do not apply to it.
        findings, open_routes = _trainee_findings(terms)
    else:
        findings, open_routes = _route_findings(terms, ref)
    unlawful = _minimum_wage(terms, ref)
    if unlawful and internship:
        findings = _trainee_pay(unlawful) + findings
    elif unlawful:
        # Nobody may be employed at this salary, so no permit route opens, whatever the other terms.
        findings, open_routes = unlawful + findings, []
    if terms.language_requirement_count == 0:
        # Not a legal condition, but the barrier most cited in practice (domain.md 8.3): without it the
        # matching cannot weigh language, and candidates cannot prepare for the level the job needs.
        findings.append(Finding("language.none_required", Severity.WARNING))
    findings.extend(_start_date(terms, ref))
    if terms.region == FLEMISH_REGION:
        # The salary and the lists were checked, but against figures that may still change.
        findings.extend(
            Finding(
                "reference.provisional",
                Severity.INFO,
                {"part": part, "valid_from": start, "valid_to": end, "day": ref.day.isoformat()},
            )
            for part, start, end in ref.provisional
        )
    order = {Severity.ERROR: 0, Severity.BLOCKING: 1, Severity.WARNING: 2, Severity.INFO: 3}
    ranked = sorted(enumerate(findings), key=lambda pair: (order[pair[1].severity], pair[0]))
    return CheckResult(tuple(finding for _index, finding in ranked), tuple(open_routes), ref.day)
