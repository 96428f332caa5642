"""Reason codes into sentences: the explanation of a stored match, in the user's language.

The matching core stores reasons as codes with the values compared (docs/matching.md, "Reading a
reason"); this module is where they become Dutch, French or English sentences for the screens. Every
code the core produces has a sentence here; an unknown code (a newer algorithm) shows as itself rather
than failing the page.

``audience="employer"`` leaves out what an employer must not learn before meeting the candidate: which
salary threshold applies (the reduced one means under 30, an age bracket).
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from candidates.models import Licence, RecognitionStep
from core.choices import Language
from recruitment.formatting import day, money, number
from recruitment.full_results import differs_from_stored, match_results
from recruitment.models import Match
from reference.models import SalaryThreshold
from vacancies.models import Vacancy

Params = Mapping[str, Any]


# --- Values -----------------------------------------------------------------------------------------


def _language(code: Any) -> str:
    try:
        return str(Language(code).label)
    except ValueError:
        return str(code)


def _level(level: Any) -> str:
    return str(level) if level else _("no level")


def language_skill_label(skill: str) -> str:
    return {
        "listening": _("listening"),
        "reading": _("reading"),
        "spoken_interaction": _("spoken interaction"),
        "spoken_production": _("spoken production"),
        "writing": _("writing"),
    }.get(skill, skill)


def _threshold_category(category: Any) -> str:
    try:
        return str(SalaryThreshold.Category(category).label)
    except ValueError:
        return str(category)


def _recognition(values: Any) -> str:
    labels = []
    for value in str(values or "").split(","):
        if value == "not_requested":
            labels.append(_("not requested"))
        elif value:
            try:
                labels.append(str(RecognitionStep.Outcome(value).label))
            except ValueError:
                labels.append(value)
    return ", ".join(labels)


def _pay_category(value: Any) -> str:
    try:
        return str(Vacancy.PayCategory(value).label)
    except ValueError:
        return str(value) or _("not stated")


def _licence(value: Any) -> str:
    try:
        return str(Licence.Kind(value).label)
    except ValueError:
        return str(value)


# --- Labels -----------------------------------------------------------------------------------------


def criterion_label(code: str) -> str:
    return {
        "occupation": _("Occupation"),
        "essential_skills": _("Essential skills"),
        "languages": _("Languages"),
        "experience": _("Experience"),
        "qualification": _("Qualification and recognition"),
        "optional_skills": _("Optional skills"),
        "timing": _("Timing and readiness"),
        "preferences": _("The candidate's wishes"),
    }.get(code, code)


def route_label(code: str) -> str:
    return {
        "highly_skilled": _("Highly skilled worker"),
        "eu_blue_card": _("EU Blue Card"),
        "medium_skilled_shortage": _("Medium-skilled shortage function"),
        "other_vdab_list": _("VDAB shortage occupation (labour-market test)"),
    }.get(code, code)


def outcome_label(outcome: str) -> str:
    return {
        "eligible": _("passes"),
        "conditional": _("can be opened"),
        "ineligible": _("closed"),
    }.get(outcome, outcome)


# --- Sentences, one per reason code -----------------------------------------------------------------


def _occupation(level: str) -> Callable[[Params], str]:
    def sentence(p: Params) -> str:
        desired = p.get("basis") == "desired"
        isco = p.get("candidate_isco", "")
        if level == "occupation":
            if desired:
                return _("Wants to work in this very occupation (a wish counts for less than experience).")
            return _("Has experience in this very occupation.")
        if level == "unit_group":
            if desired:
                return _("Wants an occupation of the same occupation group (ISCO %(isco)s).") % {"isco": isco}
            return _("Has experience in the same occupation group (ISCO %(isco)s).") % {"isco": isco}
        if level == "minor_group":
            return _("Experience or wish in a related occupation (ISCO %(isco)s).") % {"isco": isco}
        if level == "sub_major_group":
            return _("Experience or wish in the same broad field (ISCO %(isco)s).") % {"isco": isco}
        return _("No experience or wish in this occupation or a related one.")

    return sentence


def _qualification(p: Params) -> str:
    isced, minimum = p.get("isced") or 0, p.get("minimum_isced")
    if not isced:
        level = _("No diploma recorded.")
    elif minimum is None:
        level = _("Highest diploma at ISCED level %(isced)s (the vacancy sets no minimum).") % {
            "isced": isced
        }
    else:
        level = _("Highest diploma at ISCED level %(isced)s; level %(minimum)s asked.") % {
            "isced": isced,
            "minimum": minimum,
        }
    recognition = _recognition(p.get("recognition")) if isced else ""
    if recognition:
        return level + " " + _("Recognition in Belgium: %(status)s.") % {"status": recognition}
    return level


def _timing(p: Params) -> str:
    available, start = p.get("available_from"), p.get("start_date")
    if not start:
        text = _("The vacancy has no start date.")
    elif not available:
        text = _("Availability not known; the job starts on %(start)s.") % {"start": day(start)}
    else:
        text = _("Available from %(available)s; the job starts on %(start)s.") % {
            "available": day(available),
            "start": day(start),
        }
    if p.get("training_completed"):
        return text + " " + _("Pre-departure programme completed.")
    return text


def _preferences(p: Params) -> str:
    occupation = float(p.get("occupation") or 0)
    region = float(p.get("region") or 0)
    if occupation >= 1:
        wish = _("This is an occupation the candidate wants.")
    elif occupation >= 0.8:
        wish = _("The candidate wants an occupation of this group.")
    elif occupation >= 0.5:
        wish = _("No occupation wish recorded.")
    else:
        wish = _("Not an occupation the candidate asked for.")
    if region >= 1:
        place = _("Wants to work in this region.")
    elif region >= 0.5:
        place = _("No region preference recorded.")
    else:
        place = _("Prefers another region.")
    return f"{wish} {place}"


def _language_gap(p: Params) -> str:
    text = _("%(language)s, %(skill)s: %(actual)s where %(required)s is required.") % {
        "language": _language(p.get("language")),
        "skill": language_skill_label(str(p.get("skill", ""))),
        "actual": _level(p.get("actual")),
        "required": _level(p.get("required")),
    }
    if p.get("course_target"):
        text += " " + _("A course to %(target)s is under way.") % {"target": p["course_target"]}
    return text


def _highly_skilled_passed(p: Params, audience: str) -> str:
    if audience == "employer":
        # The threshold category (reduced: under 30) would tell the employer an age bracket.
        return _("The salary reaches the threshold that applies.")
    text = _("Salary %(salary)s reaches the threshold of %(threshold)s (%(category)s).") % {
        "salary": money(p.get("salary")),
        "threshold": money(p.get("threshold")),
        "category": _threshold_category(p.get("threshold_category")),
    }
    if p.get("nurse_in_care_exception"):
        text += " " + _("A nurse in a care position while the recognition is pending (exception).")
    if p.get("reduced_basis") == "under_30":
        text += " " + _("Reduced threshold: the candidate is under 30.")
    elif p.get("reduced_basis") == "nursing_function":
        text += " " + _("Reduced threshold: a nursing function.")
    return text


def _salary_below(p: Params, audience: str) -> str:
    if audience == "employer":
        return _("The salary is below the threshold that applies.")
    text = _("Salary %(salary)s is below the threshold of %(threshold)s (%(category)s).") % {
        "salary": money(p.get("salary")),
        "threshold": money(p.get("threshold")),
        "category": _threshold_category(p.get("threshold_category") or "eu_blue_card"),
    }
    if p.get("reduced_basis") == "under_30":
        text += " " + _("Reduced threshold: the candidate is under 30.")
    return text


SENTENCES: dict[str, Callable[[Params], str]] = {
    # Score criteria.
    "occupation.occupation": _occupation("occupation"),
    "occupation.unit_group": _occupation("unit_group"),
    "occupation.minor_group": _occupation("minor_group"),
    "occupation.sub_major_group": _occupation("sub_major_group"),
    "occupation.none": _occupation("none"),
    "essential_skills.coverage": lambda p: (
        _("Holds %(held)s of the %(required)s essential skills (verified skills count most).")
        % {"held": p.get("held"), "required": p.get("required")}
    ),
    "essential_skills.none_required": lambda p: _("The vacancy lists no essential skills."),
    "optional_skills.coverage": lambda p: (
        _("Holds %(held)s of the %(required)s optional skills.")
        % {"held": p.get("held"), "required": p.get("required")}
    ),
    "optional_skills.none_required": lambda p: _("The vacancy lists no optional skills."),
    "languages.fit": lambda p: (
        _("Meets %(met)s of the %(compared)s language levels asked.")
        % {"met": p.get("skills_met"), "compared": p.get("skills_compared")}
    ),
    "languages.none_required": lambda p: _("The vacancy sets no language level."),
    "experience.years": lambda p: (
        _("%(years)s years of experience in this occupation group; %(required)s asked.")
        % {"years": number(p.get("years")), "required": number(p.get("required"))}
    ),
    "experience.none_required": lambda p: (
        _("No experience asked (%(years)s years in this occupation group).")
        % {"years": number(p.get("years"))}
    ),
    "qualification.level_and_recognition": _qualification,
    "timing.readiness": _timing,
    "preferences.match": _preferences,
    # Scope and the gate.
    "scope.eu_citizen": lambda p: _(
        "Holds a nationality of the EU, the EEA or Switzerland: no permit needed."
    ),
    "scope.nationality_unknown": lambda p: _("The nationality is not recorded yet."),
    "scope.minor": lambda p: _("Younger than 18."),
    "scope.region_not_flanders": lambda p: _("The place of work is outside the Flemish Region."),
    "relevance.unrelated": lambda p: _("No relation to this occupation."),
    "fair_recruitment.candidate_paid": lambda p: _(
        "The candidate paid a recruitment cost that has not been repaid (the employer pays)."
    ),
    "employer.suspended": lambda p: _("The employer is suspended."),
    "route.none": lambda p: _("No permit route is open."),
    "route.threshold_unknown": lambda p: (
        _(
            "The salary threshold (%(category)s) for today is not loaded: "
            "the route %(route)s cannot be assessed."
        )
        % {"category": _threshold_category(p.get("category")), "route": route_label(str(p.get("route", "")))}
    ),
    "recognition.licence_missing": lambda p: _(
        "Diploma fully recognised; the licence to practise is still missing."
    ),
    "recognition.pending": lambda p: (
        _("The diploma recognition is under way (%(status)s).")
        % {"status": _recognition(p.get("recognition"))}
    ),
    "recognition.not_requested": lambda p: _(
        "This regulated profession needs a recognised diploma: recognition has not been requested yet."
    ),
    "recognition.refused": lambda p: _("The diploma recognition was refused."),
    "recognition.no_diploma": lambda p: _("This regulated profession needs a diploma; none is recorded."),
    "language.below_minimum": _language_gap,
    "licence.missing": lambda p: _("Missing licence: %(licence)s.") % {"licence": _licence(p.get("licence"))},
    "consent.missing_for_employer": lambda p: _(
        "The candidate has not yet consented to share their profile with this employer."
    ),
    "availability.late": lambda p: (
        _("Available from %(available)s, %(days)s days after the start date (at most %(maximum)s).")
        % {
            "available": day(p.get("available_from")),
            "days": p.get("days_late"),
            "maximum": p.get("maximum_days_late"),
        }
    ),
    # Permit routes.
    "route.highly_skilled.no_higher_education_diploma": lambda p: (
        _("No higher-education diploma (highest ISCED level %(best)s; %(minimum)s needed).")
        % {"best": p.get("best_isced"), "minimum": p.get("minimum_isced")}
    ),
    "route.highly_skilled.institution_not_recognised": lambda p: _(
        "The diploma comes from a private or unrecognised institution."
    ),
    "route.highly_skilled.function_below_vks5": lambda p: (
        _("The function is at VKS level %(function)s; level %(minimum)s is required.")
        % {"function": p.get("function_vks"), "minimum": p.get("minimum_vks")}
    ),
    "route.highly_skilled.nurse_recognition_not_requested": lambda p: _(
        "A nurse in a care position qualifies once the recognition of the nursing diploma is requested."
    ),
    "route.blue_card.no_higher_education_qualification": lambda p: (
        _("No higher-education qualification (highest ISCED level %(best)s; %(minimum)s needed).")
        % {"best": p.get("best_isced"), "minimum": p.get("minimum_isced")}
    ),
    "route.blue_card.passed": lambda p: (
        _("Salary %(salary)s reaches the EU Blue Card threshold of %(threshold)s.")
        % {"salary": money(p.get("salary")), "threshold": money(p.get("threshold"))}
    ),
    "route.blue_card.contract_too_short": lambda p: (
        _("A contract of %(months)s months; at least %(minimum)s months needed.")
        % {"months": p.get("months"), "minimum": p.get("minimum_months")}
    ),
    "route.blue_card.contract_duration_unknown": lambda p: (
        _("The contract length is not stated; at least %(minimum)s months needed.")
        % {"minimum": p.get("minimum_months")}
    ),
    "route.medium.passed": lambda p: (
        (
            _("Qualified at VKS level %(vks)s by diploma; pay category %(pay)s.")
            if p.get("qualification_basis") == "diploma"
            else _("Qualified at VKS level %(vks)s by experience; pay category %(pay)s.")
        )
        % {"vks": p.get("qualification_vks"), "pay": _pay_category(p.get("pay_category"))}
    ),
    "route.medium.not_on_migration_list": lambda p: _(
        "The occupation is not on the list of medium-skilled shortage functions valid today."
    ),
    "route.medium.qualification_insufficient": lambda p: (
        _(
            "Qualified at VKS level %(vks)s: level %(minimum)s or two years' experience in the occupation "
            "group needed (has %(years)s years)."
        )
        % {
            "vks": p.get("qualification_vks"),
            "minimum": p.get("minimum_vks"),
            "years": number(p.get("experience_years")),
        }
    ),
    "route.medium.pay_category_unconfirmed": lambda p: _(
        "The pay category is not yet confirmed as skilled (the recruiter confirms it)."
    ),
    "route.medium.pay_below_skilled": lambda p: (
        _("The pay category (%(pay)s) is below skilled.") % {"pay": _pay_category(p.get("pay_category"))}
    ),
    "route.medium.secondment": lambda p: _("A secondment does not qualify."),
    "route.other.passed": lambda p: (
        _("Published on VDAB (%(vdab)s) and EURES (%(eures)s) long enough.")
        % {"vdab": day(p.get("vdab_published_on")), "eures": day(p.get("eures_published_on"))}
    ),
    "route.other.not_on_vdab_list": lambda p: _(
        "The occupation is not on the VDAB shortage occupation list valid today."
    ),
    "route.other.qualification_insufficient": lambda p: (
        _("Qualified at VKS level %(vks)s; level %(minimum)s needed.")
        % {"vks": p.get("qualification_vks"), "minimum": p.get("minimum_vks")}
    ),
    "route.other.function_low_skilled": lambda p: (
        _("The function is at VKS level %(function)s; level %(minimum)s needed.")
        % {"function": p.get("function_vks"), "minimum": p.get("minimum_vks")}
    ),
    "route.other.function_above_medium_skilled": lambda p: (
        _(
            "The function is at VKS level %(function)s; this route is for functions up to level %(maximum)s "
            "(medium-skilled)."
        )
        % {"function": p.get("function_vks"), "maximum": p.get("maximum_vks")}
    ),
    "route.other.not_published": lambda p: _("The vacancy is not published on both VDAB and EURES."),
    "route.other.publication_outdated": lambda p: (
        _("The publication is older than four months (the window starts on %(start)s).")
        % {"start": day(p.get("window_start"))}
    ),
    "route.other.publication_too_short": lambda p: (
        _("Published for %(days)s days; the labour-market test needs %(minimum)s.")
        % {"days": p.get("days_published"), "minimum": p.get("minimum_days")}
    ),
    "route.other.candidate_in_belgium": lambda p: _("The candidate is already in Belgium."),
}

# Sentences that depend on who reads them.
AUDIENCE_SENTENCES: dict[str, Callable[[Params, str], str]] = {
    "route.highly_skilled.passed": _highly_skilled_passed,
    "route.highly_skilled.salary_below_threshold": _salary_below,
    "route.blue_card.salary_below_threshold": _salary_below,
}


def reason_sentence(reason: Mapping[str, Any], *, audience: str = "staff") -> str:
    code = str(reason.get("code", ""))
    params: Params = reason.get("params") or {}
    if code in AUDIENCE_SENTENCES:
        return AUDIENCE_SENTENCES[code](params, audience)
    sentence = SENTENCES.get(code)
    return sentence(params) if sentence is not None else code


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
    reasons: list[ExplainedReason]


@dataclass(frozen=True)
class Explanation:
    criteria: list[ExplainedCriterion]
    gaps: list[ExplainedReason]  # the failed conditions (what a near-miss lacks)
    routes: list[ExplainedRoute]
    # The stored row says otherwise: the facts changed since it was computed and a recompute is on its
    # way; this explanation is of the current facts.
    outdated: bool = False

    @property
    def open_routes(self) -> list[ExplainedRoute]:
        return [route for route in self.routes if route.outcome == "eligible"]


def _explained(reason: Mapping[str, Any], audience: str) -> ExplainedReason:
    closes_by = reason.get("closes_by")
    try:
        closes_on = datetime.date.fromisoformat(closes_by) if closes_by else None
    except ValueError:
        closes_on = None
    return ExplainedReason(
        code=str(reason.get("code", "")),
        sentence=reason_sentence(reason, audience=audience),
        closable=bool(reason.get("closable")),
        under_way=bool(reason.get("under_way")),
        closes_by=closes_on,
    )


def explain_data(data: Mapping[str, Any], *, audience: str = "staff", outdated: bool = False) -> Explanation:
    """A result as plain data (``MatchResult.as_dict``, or an explanation frozen on a case) as sentences."""
    criteria = [
        ExplainedCriterion(
            code=str(row.get("code", "")),
            label=criterion_label(str(row.get("code", ""))),
            earned=float(row.get("earned") or 0),
            possible=float(row.get("possible") or 0),
            sentence=reason_sentence(row.get("reason") or {}, audience=audience),
        )
        for row in data.get("breakdown") or []
    ]
    # "route.none" and the failures under it repeat the route list; the routes section explains them.
    gaps = [_explained(reason, audience) for reason in data.get("reasons") or []]
    routes = [
        ExplainedRoute(
            code=str(row.get("route", "")),
            label=route_label(str(row.get("route", ""))),
            outcome=str(row.get("outcome", "")),
            outcome_label=outcome_label(str(row.get("outcome", ""))),
            reasons=[_explained(reason, audience) for reason in row.get("reasons") or []],
        )
        for row in data.get("routes") or []
    ]
    return Explanation(criteria=criteria, gaps=gaps, routes=routes, outdated=outdated)


def explain_matches(matches: Iterable[Match], *, audience: str = "staff") -> dict[int, Explanation]:
    """Match pk -> its explanation, rebuilt by the scalar core for these rows only (a page, never a
    whole list: ``recruitment.full_results``)."""
    rows = list(matches)
    results = match_results((m.vacancy_id, m.candidate_id) for m in rows)
    explained: dict[int, Explanation] = {}
    for match in rows:
        result = results.get((match.vacancy_id, match.candidate_id))
        if result is not None:
            outdated = differs_from_stored(result, match)
            explained[match.pk] = explain_data(result.as_dict(), audience=audience, outdated=outdated)
    return explained


def explain_match(match: Match | None, *, audience: str = "staff") -> Explanation | None:
    """The explanation of one stored match (None without a match)."""
    if match is None:
        return None
    return explain_matches([match], audience=audience).get(match.pk)


def stage_verb(stage: str) -> str:
    """The label of a button that moves a case to ``stage`` (an action, not a state)."""
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
        "ended": pgettext("move", "End the case"),
        "withdrawn": pgettext("move", "Withdraw"),
    }.get(stage, stage)
