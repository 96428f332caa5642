"""Reason codes into sentences, one reason at a time, in the reader's language.

The matching core stores reasons as codes with the values compared (docs/matching.md, "Reading a
reason"); this module is where they become Dutch, French or English sentences for the screens. Every
code the core produces has a sentence here; an unknown code (a newer algorithm) shows as itself rather
than failing the page. ``recruitment.explanations`` explains a whole match with them.

A sentence depends on its ``Reader``: the reference date it holds for (a list is "valid today" only when
that day is today; a kept explanation, or a planned application date, names its day), and the audience:
an employer is never told which salary threshold applies (the reduced one means under 30).
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Licence, RecognitionStep
from core.choices import Language
from recruitment.formatting import day, money, number
from reference.in_force import THRESHOLDS
from reference.models import SalaryThreshold
from reference.wording import provisional_sentence
from vacancies.models import Vacancy

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Reader:
    """Who reads a sentence, and the day it holds for: what some sentences depend on."""

    audience: str = "staff"  # or "employer"
    on: datetime.date | None = None  # the reference date; None: today's (an explanation rebuilt now)

    @property
    def today(self) -> bool:
        return self.on is None or self.on == timezone.localdate()


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
        "trainee": _("Trainee (internship)"),
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
        if float(p.get("wish") or 0) >= 1:
            # The candidate's wishes count this occupation in full (an Aurora nurse accepting an entry
            # role in care, say): the occupation fit must not deny it.
            return _(
                "No experience in this occupation or a related one, but the candidate wants to work in it."
            )
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
    elif p.get("study_months"):
        text += " " + _("No course yet: about %(months)s months of study (an estimate).") % {
            "months": p["study_months"]
        }
    return text


def _highly_skilled_passed(p: Params, reader: Reader) -> str:
    if reader.audience == "employer":
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


def _salary_below(p: Params, reader: Reader) -> str:
    if reader.audience == "employer":
        return _("The salary is below the threshold that applies.")
    text = _("Salary %(salary)s is below the threshold of %(threshold)s (%(category)s).") % {
        "salary": money(p.get("salary")),
        "threshold": money(p.get("threshold")),
        "category": _threshold_category(p.get("threshold_category") or "eu_blue_card"),
    }
    if p.get("reduced_basis") == "under_30":
        text += " " + _("Reduced threshold: the candidate is under 30.")
    return text


def _threshold_unknown(p: Params, reader: Reader) -> str:
    values = {"route": route_label(str(p.get("route", ""))), "day": day(reader.on)}
    if reader.audience == "employer":
        # The category names the reduced threshold, which applies under 30.
        return _("A salary threshold is not loaded: the route %(route)s cannot be assessed.") % values
    values["category"] = _threshold_category(p.get("category"))
    if reader.today:
        text = _(
            "The salary threshold (%(category)s) for today is not loaded: "
            "the route %(route)s cannot be assessed."
        )
    else:
        text = _(
            "The salary threshold (%(category)s) for %(day)s is not loaded: "
            "the route %(route)s cannot be assessed."
        )
    return text % values


def _not_on_migration_list(p: Params, reader: Reader) -> str:
    if reader.today:
        return _("The occupation is not on the list of medium-skilled shortage functions valid today.")
    return _("The occupation is not on the list of medium-skilled shortage functions valid on %(day)s.") % {
        "day": day(reader.on)
    }


def _not_on_vdab_list(p: Params, reader: Reader) -> str:
    if reader.today:
        return _("The occupation is not on the VDAB shortage occupation list valid today.")
    return _("The occupation is not on the VDAB shortage occupation list valid on %(day)s.") % {
        "day": day(reader.on)
    }


# A regulated profession needs two steps, in this order: full equivalence of the diploma, then the
# licence to practise (a nurse's visum, FOD Volksgezondheid; domain.md 4.4). Each sentence names what is
# still missing.
def _recognition_pending(p: Params) -> str:
    return _(
        "Still missing: full equivalence of the diploma (the recognition is under way: %(status)s), "
        "then the licence to practise."
    ) % {"status": _recognition(p.get("recognition"))}


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
    "recognition.licence_missing": lambda p: _(
        "The diploma has full equivalence; still missing: the licence to practise."
    ),
    "recognition.pending": _recognition_pending,
    "recognition.not_requested": lambda p: _(
        "Still missing: full equivalence of the diploma (recognition not requested yet), "
        "then the licence to practise."
    ),
    "recognition.refused": lambda p: _(
        "The diploma recognition was refused: without full equivalence there is no licence to practise."
    ),
    "recognition.no_diploma": lambda p: _(
        "This regulated profession needs a diploma with full equivalence and a licence to practise; "
        "no diploma is recorded."
    ),
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
    "route.trainee.passed": lambda p: (
        _("An internship of %(months)s months; the candidate holds a recent higher-education diploma.")
        % {"months": p.get("months")}
    ),
    "route.trainee.duration_unknown": lambda p: (
        _(
            "The internship's duration is not stated; the trainee category asks for %(minimum)s to "
            "%(maximum)s months."
        )
        % {"minimum": p.get("minimum_months"), "maximum": p.get("maximum_months")}
    ),
    "route.trainee.duration_out_of_range": lambda p: (
        _(
            "The internship lasts %(months)s months. The sources we checked differ on the trainee "
            "category's duration (%(minimum)s to %(maximum)s months on the current Flemish page): confirm "
            "it with the Flemish work permit service."
        )
        % {"months": p.get("months"), "minimum": p.get("minimum_months"), "maximum": p.get("maximum_months")}
    ),
    "route.trainee.no_higher_education_diploma": lambda p: _(
        "No higher-education diploma recorded; a trainee needs a recent one, or studies toward one (confirm "
        "those by hand)."
    ),
    "route.trainee.diploma_date_unknown": lambda p: (
        _("The higher-education diploma has no award date; a trainee's must date from %(since)s or later.")
        % {"since": day(p.get("awarded_since"))}
    ),
    "route.trainee.diploma_too_old": lambda p: (
        _(
            "The latest higher-education diploma dates from %(awarded)s; a trainee's must date from "
            "%(since)s or later."
        )
        % {"awarded": day(p.get("awarded_on")), "since": day(p.get("awarded_since"))}
    ),
    "route.trainee.candidate_in_belgium": lambda p: _(
        "The candidate is in Belgium; the trainee permit is applied for while the trainee is still outside "
        "the EU. (The profile records whether the candidate is in Belgium, not elsewhere in the EU: confirm "
        "that too.)"
    ),
}

# Sentences that depend on who reads them, or on the day they hold for.
READER_SENTENCES: dict[str, Callable[[Params, Reader], str]] = {
    "route.highly_skilled.passed": _highly_skilled_passed,
    "route.highly_skilled.salary_below_threshold": _salary_below,
    "route.blue_card.salary_below_threshold": _salary_below,
    "route.threshold_unknown": _threshold_unknown,
    "route.medium.not_on_migration_list": _not_on_migration_list,
    "route.other.not_on_vdab_list": _not_on_vdab_list,
}


def reason_sentence(
    reason: Mapping[str, Any], *, audience: str = "staff", on: datetime.date | None = None
) -> str:
    """One reason as a sentence. ``on``: the reference date it was computed for (None: today)."""
    code = str(reason.get("code", ""))
    params: Params = reason.get("params") or {}
    if code in READER_SENTENCES:
        text = READER_SENTENCES[code](params, Reader(audience=audience, on=on))
    else:
        sentence = SENTENCES.get(code)
        text = sentence(params) if sentence is not None else code
    if params.get("provisional"):  # absent from results computed before the flag existed
        text += " " + _provisional_note(code, str(params["provisional"]), on)
    return text


def _provisional_note(code: str, period: str, on: datetime.date | None) -> str:
    """The reason used a threshold or list applied provisionally (``reference.in_force``): say whose."""
    part = THRESHOLDS
    if code.startswith("route.medium."):
        part = "migration_medium_skilled"
    elif code.startswith("route.other."):
        part = "vdab_shortage"
    start, _separator, end = period.partition("/")
    return provisional_sentence(part, start, end, on or timezone.localdate())
