"""The pre-publication checker's findings (``vacancies.checker``) as sentences in the user's language.

One sentence per finding code; an unknown code (a newer checker) shows as itself rather than failing
the page, as in ``recruitment.explanations``.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from core.choices import Region
from recruitment.explanations import route_label
from recruitment.formatting import day, money
from reference.wording import provisional_sentence
from vacancies.checker import CheckResult, Finding, Severity

Params = Mapping[str, Any]


def _region(code: Any) -> str:
    try:
        return str(Region(code).label)
    except ValueError:
        return str(code)


def _hours(value: Any) -> str:
    """Weekly hours as written: "38", "30.5" ("30,5" in Dutch and French)."""
    try:
        return formats.number_format(Decimal(str(value)), use_l10n=True)
    except (InvalidOperation, ValueError):
        return str(value)


SENTENCES: dict[str, Callable[[Params], str]] = {
    "region.not_flanders": lambda p: (
        _("The place of work lies in the %(region)s: Talentbrug matches for the Flemish permit rules only.")
        % {"region": _region(p.get("region"))}
    ),
    "salary.below_threshold": lambda p: (
        _(
            "Route “%(route)s”: the salary (%(salary)s a year, %(salary_monthly)s a month) is under the "
            "threshold of %(threshold)s a year (%(threshold_monthly)s a month) valid on %(day)s."
        )
        % {
            "route": route_label(str(p.get("route", ""))),
            "salary": money(p.get("salary")),
            "salary_monthly": money(p.get("salary_monthly")),
            "threshold": money(p.get("threshold")),
            "threshold_monthly": money(p.get("threshold_monthly")),
            "day": day(p.get("day")),
        }
    ),
    "salary.below_minimum_wage": lambda p: (
        _(
            "The salary (%(salary)s a month) is under the Belgian guaranteed minimum monthly income: "
            "%(minimum)s a month for %(hours)s hours a week on %(day)s. Nobody may be employed at this "
            "salary, so the vacancy cannot be published until it is raised."
        )
        % {
            "salary": money(p.get("salary_monthly")),
            "minimum": money(p.get("minimum_monthly")),
            "hours": _hours(p.get("hours")),
            "day": day(p.get("day")),
        }
    ),
    "salary.meets_reduced_threshold": lambda p: (
        _(
            "For information: the salary meets the reduced highly skilled threshold of %(threshold)s a year "
            "(%(threshold_monthly)s a month), which the law sets for some workers only (nurses, teachers, "
            "workers under 30). Whether it applies depends on the candidate; the matching checks it."
        )
        % {"threshold": money(p.get("threshold")), "threshold_monthly": money(p.get("threshold_monthly"))}
    ),
    "function.below_highly_skilled_level": lambda p: (
        _(
            "Route “%(route)s”: since 2026 the function itself must be at least VKS level %(minimum)s; this "
            "one is at level %(level)s."
        )
        % {"route": route_label("highly_skilled"), "minimum": p.get("minimum"), "level": p.get("level")}
    ),
    "contract.too_short_for_blue_card": lambda p: (
        _("Route “%(route)s”: the contract must last at least %(minimum)s months; this one lasts %(months)s.")
        % {"route": route_label("eu_blue_card"), "minimum": p.get("minimum"), "months": p.get("months")}
    ),
    "pay.below_skilled_category": lambda p: (
        _("Route “%(route)s”: the pay must be at least the “skilled” category of the joint committee.")
        % {"route": route_label("medium_skilled_shortage")}
    ),
    "contract.secondment_excluded": lambda p: (
        _("Route “%(route)s”: a secondment is not allowed.")
        % {"route": route_label("medium_skilled_shortage")}
    ),
    "function.above_other_route_level": lambda p: (
        _(
            "Route “%(route)s”: it is for functions up to VKS level %(maximum)s; this one is at level "
            "%(level)s."
        )
        % {"route": route_label("other_vdab_list"), "maximum": p.get("maximum"), "level": p.get("level")}
    ),
    "function.below_other_route_level": lambda p: (
        _(
            "Route “%(route)s”: the function must be at least VKS level %(minimum)s; this one is at level "
            "%(level)s."
        )
        % {"route": route_label("other_vdab_list"), "minimum": p.get("minimum"), "level": p.get("level")}
    ),
    "occupation.not_on_shortage_list": lambda p: (
        _(
            "The occupation is on no Flemish shortage list valid on %(day)s (neither the VDAB list nor the "
            "ministerial migration list)."
        )
        % {"day": day(p.get("day"))}
    ),
    "occupation.not_on_migration_list": lambda p: (
        _(
            "For information: the occupation is not on the ministerial migration list, so route “%(route)s” "
            "is closed."
        )
        % {"route": route_label("medium_skilled_shortage")}
    ),
    "occupation.not_on_vdab_list": lambda p: (
        _("For information: the occupation is not on the VDAB shortage list, so route “%(route)s” is closed.")
        % {"route": route_label("other_vdab_list")}
    ),
    "reference.no_shortage_lists": lambda p: (
        _("No shortage list is recorded for %(day)s: the occupation could not be checked.")
        % {"day": day(p.get("day"))}
    ),
    "reference.no_threshold": lambda p: (
        _("Route “%(route)s”: no salary threshold is recorded for %(day)s: the salary could not be checked.")
        % {"route": route_label(str(p.get("route", ""))), "day": day(p.get("day"))}
    ),
    "reference.provisional": lambda p: provisional_sentence(
        str(p.get("part", "")), p.get("valid_from"), p.get("valid_to"), p.get("day")
    ),
    "language.none_required": lambda p: _(
        "No language requirement: candidates cannot prepare for the level the job needs, and the "
        "matching cannot weigh language, the barrier most often met in practice."
    ),
    "start_date.missing": lambda p: (
        _(
            "No start date: the lists and thresholds were checked for %(day)s, and candidates cannot plan "
            "their permit and travel."
        )
        % {"day": day(p.get("day"))}
    ),
    "start_date.past": lambda p: (
        _("The start date (%(day)s) has passed.") % {"day": day(p.get("start_date"))}
    ),
    "start_date.before_permit_lead_time": lambda p: (
        _(
            "The start date (%(day)s) leaves too little time for a single permit (about three months): a "
            "candidate from abroad could start around %(earliest)s at the earliest."
        )
        % {"day": day(p.get("start_date")), "earliest": day(p.get("earliest"))}
    ),
    # An internship (vacancies.checker._trainee_findings; docs/pathways/internships.md)
    "trainee.route_applies": lambda p: (
        _(
            "This is an internship: it is checked against the Flemish trainee category (a full-time "
            "traineeship of %(minimum)s to %(maximum)s months for a recent higher-education graduate or a "
            "student), not against the single-permit routes for employment, which do not cover traineeships."
        )
        % {"minimum": p.get("minimum"), "maximum": p.get("maximum")}
    ),
    "trainee.duration_missing": lambda p: (
        _("State the internship's duration: the trainee category asks for %(minimum)s to %(maximum)s months.")
        % {"minimum": p.get("minimum"), "maximum": p.get("maximum")}
    ),
    "trainee.duration_out_of_range": lambda p: (
        _(
            "The internship lasts %(months)s months. The sources we checked differ on how long a "
            "traineeship may last (%(minimum)s to %(maximum)s months, renewable once, on the current Flemish "
            "page; up to 12 months on an older one): confirm the duration with the Flemish work permit "
            "service before publishing."
        )
        % {"months": p.get("months"), "minimum": p.get("minimum"), "maximum": p.get("maximum")}
    ),
    "trainee.not_full_time": lambda p: (
        _(
            "The internship is %(hours)s hours a week; the trainee category asks for a full-time "
            "traineeship. Check the full-time week of the joint committee."
        )
        % {"hours": _hours(p.get("hours"))}
    ),
    "trainee.pay_below_minimum_wage": lambda p: (
        _(
            "The pay (%(salary)s a month) is under the guaranteed minimum monthly income (%(minimum)s for "
            "%(hours)s hours a week on %(day)s). Whether a trainee must earn it is not settled by the "
            "sources we checked: ask the Flemish work permit service before publishing."
        )
        % {
            "salary": money(p.get("salary_monthly")),
            "minimum": money(p.get("minimum_monthly")),
            "hours": _hours(p.get("hours")),
            "day": day(p.get("day")),
        }
    ),
}


def severity_label(severity: str) -> str:
    return {
        Severity.ERROR: _("Prevents publication"),
        Severity.BLOCKING: _("Blocks international recruitment"),
        Severity.WARNING: _("Warning"),
        Severity.INFO: _("Information"),
    }.get(Severity(severity), severity)


@dataclass(frozen=True)
class FindingLine:
    code: str
    severity: str
    severity_label: str
    sentence: str


@dataclass(frozen=True)
class FindingsView:
    """What the vacancy and edit pages show of a check."""

    lines: list[FindingLine]
    blocking: bool
    refused: bool  # it cannot be published as written
    open_routes: list[str]  # route labels


def finding_sentence(finding: Finding) -> str:
    sentence = SENTENCES.get(finding.code)
    return sentence(finding.params) if sentence else finding.code


def findings_view(result: CheckResult) -> FindingsView:
    return FindingsView(
        lines=[
            FindingLine(f.code, f.severity.value, severity_label(f.severity), finding_sentence(f))
            for f in result.findings
        ],
        blocking=result.blocking,
        refused=result.refused,
        open_routes=[route_label(route) for route in result.open_routes],
    )
