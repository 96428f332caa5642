"""The four Flemish single-permit routes the matching considers (domain.md 1.4, 1.5, 1.6, 2.2, 8.2 item 3),
and the trainee route that replaces them for an internship vacancy (docs/pathways/internships.md).

Each route returns a ``RouteCheck``: ELIGIBLE with one ``route.<x>.passed`` reason giving the values that
made it pass, CONDITIONAL with only closable failures, or INELIGIBLE with every failure. Reason codes are
prefixed ``route.highly_skilled``, ``route.blue_card``, ``route.medium`` and ``route.other``.

Dates on which a rule changed are named constants below: they belong to the rule (replayable for audits),
whereas yearly amounts and lists come in through ``ReferenceFacts``.
"""

import datetime

from recruitment.matching.derived import (
    CARE_ISCO,
    NURSING_ISCO,
    PENDING_RECOGNITION,
    age_on,
    effective_isced,
    is_nursing_diploma,
    iso,
    money,
    qualification_level,
    reason,
    reason_from,
)
from recruitment.matching.facts import (
    CandidateFacts,
    DiplomaFacts,
    Recognition,
    ReferenceFacts,
    ThresholdCategory,
    VacancyFacts,
)
from recruitment.matching.results import Outcome, Param, Reason, Route, RouteCheck

FUNCTION_VKS_RULE_FROM = datetime.date(2026, 1, 1)  # highly skilled: the function itself VKS >= 5
BLUE_CARD_SIX_MONTHS_FROM = datetime.date(2024, 5, 1)  # Directive 2021/1883 transposed: 6 instead of 12
OTHER_MEDIUM_ONLY_FROM = datetime.date(2026, 1, 1)  # "other": VKS 2 no longer admitted
# "Other" is the route of low- and medium-skilled functions (VKS 2-4, domain.md 1.4): a function above
# VKS 4 must go through the highly skilled or Blue Card routes, whatever its publication.
OTHER_MAXIMUM_FUNCTION_VKS = 4
RULE_CHANGE_DATES = (BLUE_CARD_SIX_MONTHS_FROM, FUNCTION_VKS_RULE_FROM, OTHER_MEDIUM_ONLY_FROM)
"""Every date above on which a rule of this module changes: the rules in force on a day depend on the day
only through which of these have passed (``rules_in_force``)."""
# The list kinds (reference.models.ShortageList.Kind values) whose lists open the two list routes.
MIGRATION_LIST = "migration_medium_skilled"
VDAB_LIST = "vdab_shortage"
INTERNSHIP = "internship"  # vacancies.models.Vacancy.Kind.INTERNSHIP
REDUCED_THRESHOLD_AGE = 30
LABOUR_MARKET_TEST_DAYS = 63  # 9 weeks on VDAB and EURES ...
LABOUR_MARKET_WINDOW_MONTHS = 4  # ... within the 4 months before the application


def rules_in_force(day: datetime.date) -> tuple[bool, ...]:
    """Which of the dated rule changes apply on ``day``: two days with the same answer (and the same
    reference facts) apply the same rules, so a new day needs no full re-evaluation (ADR 0008)."""
    return tuple(day >= changed for changed in RULE_CHANGE_DATES)


def provisional(facts: ReferenceFacts, part: str) -> dict[str, Param]:
    """``{"provisional": "<from>/<to>"}`` when the threshold or list ``part`` applies provisionally (the
    latest published one, the date's is not published yet: reference.in_force), else nothing: the flag
    rides on the reasons that used it, so an explanation says so, and older results simply lack it."""
    period = facts.provisional_period(part)
    return {"provisional": period} if period else {}


def _route_check(route: Route, failures: list[Reason], passed: Reason) -> RouteCheck:
    if not failures:
        return RouteCheck(route, Outcome.ELIGIBLE, (passed,))
    outcome = Outcome.CONDITIONAL if all(r.closable for r in failures) else Outcome.INELIGIBLE
    return RouteCheck(route, outcome, tuple(failures))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier, clamped to the month's end (31 May -> 31 Jan)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for day_of_month in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, day_of_month)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


# --- Highly skilled (domain.md 1.4, 1.5) -------------------------------------------------------------


def _qualifies_as_higher_education(diploma: DiplomaFacts) -> bool:
    """At least a 3-year bachelor (ISCED 6+) or a level-5 qualification (graduaat). An ISCED 6 diploma of
    unknown duration is presumed a standard bachelor; the file check verifies it."""
    level = effective_isced(diploma)
    if level == 5 or level >= 7:
        return True
    return level == 6 and (diploma.duration_years is None or diploma.duration_years >= 3)


def highly_skilled_diploma(candidate: CandidateFacts) -> list[Reason]:
    """Higher-education diploma from a state-recognised, non-private institution (domain.md 1.4)."""
    higher = [d for d in candidate.diplomas if _qualifies_as_higher_education(d)]
    if not higher:
        best = max((effective_isced(d) for d in candidate.diplomas), default=0)
        return [reason("route.highly_skilled.no_higher_education_diploma", best_isced=best, minimum_isced=5)]
    if not any(d.state_recognised and not d.private_institution for d in higher):
        return [reason("route.highly_skilled.institution_not_recognised")]
    return []


def nurse_in_care_exception(candidate: CandidateFacts, vacancy: VacancyFacts) -> bool:
    """The Aurora exception (domain.md 1.4, 2026 rule): a nurse in a care position while the nursing
    diploma is being recognised still counts as highly skilled, below VKS 5."""
    return vacancy.isco_code in CARE_ISCO and any(
        is_nursing_diploma(d) and d.recognition in PENDING_RECOGNITION for d in candidate.diplomas
    )


def highly_skilled_function_level(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> list[Reason]:
    """From 1 Jan 2026 the function itself must be highly qualified, VKS >= 5 (domain.md 1.4)."""
    if facts.reference_date < FUNCTION_VKS_RULE_FROM or vacancy.function_vks_level >= 5:
        return []
    if nurse_in_care_exception(candidate, vacancy):
        return []
    params: dict[str, Param] = {"function_vks": vacancy.function_vks_level, "minimum_vks": 5}
    not_requested = any(
        is_nursing_diploma(d) and d.recognition is Recognition.NOT_REQUESTED for d in candidate.diplomas
    )
    if vacancy.isco_code in CARE_ISCO and not_requested:
        # Asking NARIC for recognition would bring the nurse under the exception.
        return [reason_from("route.highly_skilled.nurse_recognition_not_requested", params, closable=True)]
    return [reason_from("route.highly_skilled.function_below_vks5", params)]


def _reduced_basis(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> str:
    """Why the 80% threshold applies: under 30 on the reference date, or a nursing role (domain.md 1.5)."""
    if age_on(candidate.date_of_birth, facts.reference_date) < REDUCED_THRESHOLD_AGE:
        return "under_30"
    if vacancy.isco_code in NURSING_ISCO:
        return "nursing_function"
    return ""


def highly_skilled_salary(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> tuple[list[Reason], dict[str, Param]]:
    """Gross annual salary >= the threshold valid on the reference date (domain.md 1.5).

    Returns the failures and, on success, the threshold used. When the reduced threshold applies but is
    not known for the date, a salary at or above the full threshold still passes; otherwise the route
    cannot be assessed.
    """
    basis = _reduced_basis(candidate, vacancy, facts)
    salary = vacancy.annual_salary_eur
    full = facts.threshold(ThresholdCategory.HIGHLY_SKILLED)
    reduced = facts.threshold(ThresholdCategory.HIGHLY_SKILLED_REDUCED) if basis else None
    if reduced is not None:
        category, threshold = ThresholdCategory.HIGHLY_SKILLED_REDUCED, reduced
    elif full is not None and (not basis or salary >= full):
        category, threshold = ThresholdCategory.HIGHLY_SKILLED, full
    else:
        missing = ThresholdCategory.HIGHLY_SKILLED_REDUCED if basis else ThresholdCategory.HIGHLY_SKILLED
        return [
            reason("route.threshold_unknown", route=Route.HIGHLY_SKILLED.value, category=missing.value)
        ], {}
    used: dict[str, Param] = {
        "salary": money(salary),
        "threshold": money(threshold),
        "threshold_category": category.value,
        "reduced_basis": basis if category is ThresholdCategory.HIGHLY_SKILLED_REDUCED else "",
        **provisional(facts, category.value),
    }
    if salary < threshold:
        return [reason_from("route.highly_skilled.salary_below_threshold", used)], {}
    return [], used


def check_highly_skilled(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> RouteCheck:
    """Highly skilled worker (hooggeschoolde), domain.md 1.4 and 8.2 item 3."""
    failures = highly_skilled_diploma(candidate) + highly_skilled_function_level(candidate, vacancy, facts)
    salary_failures, used = highly_skilled_salary(candidate, vacancy, facts)
    failures += salary_failures
    exception = (
        facts.reference_date >= FUNCTION_VKS_RULE_FROM
        and vacancy.function_vks_level < 5
        and nurse_in_care_exception(candidate, vacancy)
    )
    passed = reason_from("route.highly_skilled.passed", {**used, "nurse_in_care_exception": exception})
    return _route_check(Route.HIGHLY_SKILLED, failures, passed)


# --- EU Blue Card (domain.md 1.5, 1.6) ---------------------------------------------------------------


def blue_card_contract(vacancy: VacancyFacts, facts: ReferenceFacts) -> list[Reason]:
    """Indefinite, or at least 6 months (12 before 1 May 2024), domain.md 1.6."""
    minimum = 6 if facts.reference_date >= BLUE_CARD_SIX_MONTHS_FROM else 12
    if vacancy.contract_type == "indefinite":
        return []
    if vacancy.contract_months is None:
        # The employer can state the duration; until then the route is open but unproven.
        return [reason("route.blue_card.contract_duration_unknown", closable=True, minimum_months=minimum)]
    if vacancy.contract_months < minimum:
        return [
            reason(
                "route.blue_card.contract_too_short", months=vacancy.contract_months, minimum_months=minimum
            )
        ]
    return []


def check_blue_card(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> RouteCheck:
    """EU Blue Card: higher-education qualification (ISCED >= 6), salary >= the Blue Card threshold,
    contract long enough (Directive 2021/1883; domain.md 1.6, 8.2 item 3)."""
    failures: list[Reason] = []
    best = max((effective_isced(d) for d in candidate.diplomas), default=0)
    if best < 6:
        failures.append(
            reason("route.blue_card.no_higher_education_qualification", best_isced=best, minimum_isced=6)
        )
    threshold = facts.threshold(ThresholdCategory.EU_BLUE_CARD)
    salary = vacancy.annual_salary_eur
    if threshold is None:
        category = ThresholdCategory.EU_BLUE_CARD.value
        failures.append(reason("route.threshold_unknown", route=Route.EU_BLUE_CARD.value, category=category))
    elif salary < threshold:
        failures.append(
            reason_from(
                "route.blue_card.salary_below_threshold",
                {
                    "salary": money(salary),
                    "threshold": money(threshold),
                    **provisional(facts, ThresholdCategory.EU_BLUE_CARD.value),
                },
            )
        )
    failures += blue_card_contract(vacancy, facts)
    passed = reason_from(
        "route.blue_card.passed",
        {
            "salary": money(salary),
            "threshold": money(threshold) if threshold is not None else None,
            "contract_type": vacancy.contract_type,
            "contract_months": vacancy.contract_months,
            **provisional(facts, ThresholdCategory.EU_BLUE_CARD.value),
        },
    )
    return _route_check(Route.EU_BLUE_CARD, failures, passed)


# --- Medium-skilled shortage function (domain.md 1.4, 2.2) ------------------------------------------


def medium_pay_category(vacancy: VacancyFacts) -> list[Reason]:
    """Pay at least the "geschoold" category of the joint committee: a manual confirmation (domain.md 8.2)."""
    if vacancy.pay_category in ("skilled", "highly_skilled"):
        return []
    if vacancy.pay_category == "":
        return [reason("route.medium.pay_category_unconfirmed", closable=True)]
    return [reason("route.medium.pay_below_skilled", pay_category=vacancy.pay_category)]


def check_medium_skilled(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> RouteCheck:
    """Medium-skilled shortage function on the ministerial migration list valid on the reference date:
    VKS 3–4 (or higher) by diploma or experience, skilled pay, no secondment (domain.md 1.4, 2.2, 8.2)."""
    failures: list[Reason] = []
    if vacancy.occupation_id not in facts.migration_list_occupation_ids:
        failures.append(
            reason_from(
                "route.medium.not_on_migration_list",
                {"occupation_id": vacancy.occupation_id, **provisional(facts, MIGRATION_LIST)},
            )
        )
    qualification = qualification_level(candidate, vacancy, facts)
    if qualification.vks < 3:
        failures.append(
            reason(
                "route.medium.qualification_insufficient",
                qualification_vks=qualification.vks,
                minimum_vks=3,
                experience_years=round(qualification.experience_years, 2),
                minimum_experience_years=2.0,
            )
        )
    failures += medium_pay_category(vacancy)
    if vacancy.is_secondment:
        failures.append(reason("route.medium.secondment"))
    passed = reason_from(
        "route.medium.passed",
        {
            "qualification_vks": qualification.vks,
            "qualification_basis": qualification.basis,
            "pay_category": vacancy.pay_category,
            **provisional(facts, MIGRATION_LIST),
        },
    )
    return _route_check(Route.MEDIUM_SKILLED_SHORTAGE, failures, passed)


# --- "Other": VDAB knelpuntberoepenlijst with a labour-market test (domain.md 1.2, 1.4) --------------


def labour_market_test(vacancy: VacancyFacts, facts: ReferenceFacts) -> list[Reason]:
    """Published on VDAB and EURES within the 4 months before the application, for at least 9 weeks.

    Without an end date we count from each publication date up to the reference date; the later of the two
    sets the shorter period. A test that is running but short of 9 weeks is closable and under way; a
    vacancy never published, or published before the window, needs a new publication (a vacancy change,
    which triggers a recompute), so it does not count as closable here.
    """
    vdab, eures = vacancy.vdab_published_on, vacancy.eures_published_on
    published: dict[str, Param] = {"vdab_published_on": iso(vdab), "eures_published_on": iso(eures)}
    if vdab is None or eures is None:
        return [reason_from("route.other.not_published", published)]
    window_start = months_before(facts.reference_date, LABOUR_MARKET_WINDOW_MONTHS)
    if min(vdab, eures) < window_start:
        return [
            reason_from(
                "route.other.publication_outdated", {**published, "window_start": window_start.isoformat()}
            )
        ]
    days = (facts.reference_date - max(vdab, eures)).days
    if days >= LABOUR_MARKET_TEST_DAYS:
        return []
    closes_by = max(vdab, eures) + datetime.timedelta(days=LABOUR_MARKET_TEST_DAYS)
    return [
        reason_from(
            "route.other.publication_too_short",
            {**published, "days_published": days, "minimum_days": LABOUR_MARKET_TEST_DAYS},
            closable=True,
            under_way=True,
            closes_by=closes_by.isoformat(),
        )
    ]


def other_qualification(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> list[Reason]:
    """Qualification level 2, 3 or 4; from 2026 level 3–4, VKS 2 functions excluded (domain.md 1.4).

    Product reading: a candidate qualified above level 4 meets "at least level 2/3"; the range bounds the
    function on both sides (not low-skilled from 2026, never above medium-skilled). Seasonal work, the
    2026 exception, is not modelled.
    """
    minimum = 3 if facts.reference_date >= OTHER_MEDIUM_ONLY_FROM else 2
    failures: list[Reason] = []
    qualification = qualification_level(candidate, vacancy, facts)
    if qualification.vks < minimum:
        failures.append(
            reason(
                "route.other.qualification_insufficient",
                qualification_vks=qualification.vks,
                minimum_vks=minimum,
            )
        )
    if vacancy.function_vks_level < minimum:
        failures.append(
            reason(
                "route.other.function_low_skilled",
                function_vks=vacancy.function_vks_level,
                minimum_vks=minimum,
            )
        )
    if vacancy.function_vks_level > OTHER_MAXIMUM_FUNCTION_VKS:
        failures.append(
            reason(
                "route.other.function_above_medium_skilled",
                function_vks=vacancy.function_vks_level,
                maximum_vks=OTHER_MAXIMUM_FUNCTION_VKS,
            )
        )
    return failures


def check_other_vdab_list(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> RouteCheck:
    """The "other" category since 1 May 2024: VDAB list, qualification level, labour-market test, worker
    not yet in Belgium at the first application (domain.md 1.2, 1.4, 8.2 item 3)."""
    failures: list[Reason] = []
    if vacancy.occupation_id not in facts.vdab_list_occupation_ids:
        failures.append(
            reason_from(
                "route.other.not_on_vdab_list",
                {"occupation_id": vacancy.occupation_id, **provisional(facts, VDAB_LIST)},
            )
        )
    failures += other_qualification(candidate, vacancy, facts)
    failures += labour_market_test(vacancy, facts)
    if candidate.in_belgium:
        failures.append(reason("route.other.candidate_in_belgium"))
    passed = reason_from(
        "route.other.passed",
        {
            "vdab_published_on": iso(vacancy.vdab_published_on),
            "eures_published_on": iso(vacancy.eures_published_on),
            **provisional(facts, VDAB_LIST),
        },
    )
    return _route_check(Route.OTHER_VDAB_LIST, failures, passed)


# --- Trainee (an internship vacancy; docs/pathways/internships.md, "The rules") --------------------
#
# The Flemish "stagiair in/na opleiding" category as vlaanderen.be describes it (checked 6 Dec 2026), which
# transposes Directive (EU) 2016/801 art. 13: a full-time traineeship of 3 to 6 months (renewable once by
# up to 6 months: a later application, not this one), a higher-education diploma obtained in the two years
# before the application (or studies toward one: not recorded in profiles, so the recruiter confirms it),
# and the trainee still outside the EU when the employer applies (BOSA, info for the employer or host
# entity). The older English page's conditions (18-30 years, up to 12 months, minimum wage, an employment
# permit) conflict with these and are not encoded: see the pathway document's "Unverified".
TRAINEE_RULES_CHECKED_ON = datetime.date(2026, 12, 6)  # the sources were read on this day
TRAINEE_MIN_MONTHS = 3
TRAINEE_MAX_MONTHS = 6  # the first permit; one renewal by up to 6 months is a later application
TRAINEE_DIPLOMA_MONTHS = 24  # "in de twee jaar voorafgaand aan de datum van de aanvraag" (Dir. 2016/801)
TRAINEE_MIN_ISCED = 5  # higher education: a Flemish graduaat (ISCED 5) is higher education


def trainee_duration(vacancy: VacancyFacts) -> list[Reason]:
    """3 to 6 months: the employer states the duration; until then the route is open but unproven.

    A duration outside 3-6 months is closable too, not a closed route: the sources disagree on the
    duration (the older English vlaanderen.be page allows up to 12 months), so it is a point to confirm
    with the authority, as the pre-publication check says (vacancies.checker, a warning)."""
    bounds: dict[str, Param] = {"minimum_months": TRAINEE_MIN_MONTHS, "maximum_months": TRAINEE_MAX_MONTHS}
    if vacancy.contract_months is None:
        return [reason_from("route.trainee.duration_unknown", bounds, closable=True)]
    if not TRAINEE_MIN_MONTHS <= vacancy.contract_months <= TRAINEE_MAX_MONTHS:
        months = {"months": vacancy.contract_months, **bounds}
        return [reason_from("route.trainee.duration_out_of_range", months, closable=True)]
    return []


def trainee_diploma(candidate: CandidateFacts, facts: ReferenceFacts) -> list[Reason]:
    """A higher-education diploma awarded on or after the day two years before the reference date. A
    higher-education diploma without a date may be recent: closable (the candidate states the date)."""
    since = months_before(facts.reference_date, TRAINEE_DIPLOMA_MONTHS)
    higher = [d for d in candidate.diplomas if effective_isced(d) >= TRAINEE_MIN_ISCED]
    if any(d.awarded_on is not None and d.awarded_on >= since for d in higher):
        return []
    if any(d.awarded_on is None for d in higher):
        return [reason("route.trainee.diploma_date_unknown", closable=True, awarded_since=since.isoformat())]
    if higher:
        latest = max(d.awarded_on for d in higher if d.awarded_on is not None)
        return [
            reason(
                "route.trainee.diploma_too_old",
                awarded_on=latest.isoformat(),
                awarded_since=since.isoformat(),
            )
        ]
    best = max((effective_isced(d) for d in candidate.diplomas), default=0)
    return [
        reason("route.trainee.no_higher_education_diploma", best_isced=best, minimum_isced=TRAINEE_MIN_ISCED)
    ]


def check_trainee(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> RouteCheck:
    """The trainee route of an internship vacancy (the rules above)."""
    failures = trainee_duration(vacancy) + trainee_diploma(candidate, facts)
    if candidate.in_belgium:
        # The application is made while the trainee is still outside the EU (BOSA). The facts carry
        # whether the candidate is in Belgium, not where they live: a candidate elsewhere in the EU is not
        # caught here (the recruiter confirms it), and the exception for someone already authorised to
        # stay more than 90 days is not recorded in profiles.
        failures.append(reason("route.trainee.candidate_in_belgium"))
    passed = reason("route.trainee.passed", months=vacancy.contract_months)
    return _route_check(Route.TRAINEE, failures, passed)


def check_routes(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> tuple[RouteCheck, ...]:
    """Every route, in a fixed order: highly skilled, EU Blue Card, medium-skilled, other; for an
    internship vacancy the trainee route alone (a traineeship is not employment under a single permit)."""
    if vacancy.kind == INTERNSHIP:
        return (check_trainee(candidate, vacancy, facts),)
    return (
        check_highly_skilled(candidate, vacancy, facts),
        check_blue_card(candidate, vacancy, facts),
        check_medium_skilled(candidate, vacancy, facts),
        check_other_vdab_list(candidate, vacancy, facts),
    )
