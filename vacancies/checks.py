"""Reads for the pre-publication checker (``vacancies.checker``): the reference data valid on the checked
day and the vacancy's own terms. Reads only, never writes.

Three queries per vacancy whatever the data: the thresholds, the lists in force on the day (with whether
each names the occupation: ``reference.in_force``), and the number of language requirements.
The minimum wage is read from the reference data file (``reference.minimum_wage``), not the database.
"""

import datetime

from core.choices import Region
from reference.in_force import in_force_on
from reference.minimum_wage import minimum_wage_on
from reference.models import SalaryThreshold, ShortageList, ShortageListOccupation
from vacancies.checker import CheckReference, CheckResult, VacancyTerms, check_day, check_vacancy
from vacancies.models import Vacancy

# The lists that open a route; a list of another kind (EU Talent Pool) is not a Flemish permit route.
ROUTE_LIST_KINDS = (ShortageList.Kind.VDAB_SHORTAGE, ShortageList.Kind.MIGRATION_MEDIUM_SKILLED)
# The thresholds the routes compare a vacancy's salary with (the manager threshold opens no route here).
ROUTE_CATEGORIES = (
    SalaryThreshold.Category.HIGHLY_SKILLED,
    SalaryThreshold.Category.HIGHLY_SKILLED_REDUCED,
    SalaryThreshold.Category.EU_BLUE_CARD,
)


def check_reference_for(
    *, occupation_id: int, start_date: datetime.date | None, today: datetime.date
) -> CheckReference:
    """The Flemish thresholds and shortage lists in force on the checked day (``reference.in_force``:
    the latest published ones, said to be provisional, when the day's are not published yet), which
    lists name the occupation, and the Belgian minimum wage. When two thresholds of one category overlap
    (a data error), the later start wins, as in the matching adapters."""
    day = check_day(start_date, today)
    in_force = in_force_on(day, region=Region.FLANDERS, naming=occupation_id)
    route_lists = [lists for kind, lists in in_force.lists.items() if kind in ROUTE_LIST_KINDS]
    minimum_wage = minimum_wage_on(day)
    return CheckReference(
        today=today,
        day=day,
        thresholds=in_force.amounts(),
        lists_known=bool(route_lists),
        occupation_list_kinds=frozenset(lists.kind for lists in route_lists if lists.names_occupation),
        minimum_monthly_wage=minimum_wage.monthly_gross_eur if minimum_wage else None,
        provisional=tuple(
            part.as_tuple()
            for part in in_force.provisional_parts(categories=ROUTE_CATEGORIES, kinds=ROUTE_LIST_KINDS)
        ),
    )


def check_references(
    wanted: set[tuple[int, datetime.date]], *, today: datetime.date
) -> dict[tuple[int, datetime.date], CheckReference]:
    """``check_reference_for`` for many (occupation id, checked day) pairs at once: two queries per
    distinct day and one for every list membership, whatever the number of pairs (the reference data
    page's preview checks every open vacancy twice)."""
    in_force = {day: in_force_on(day, region=Region.FLANDERS) for day in {day for _occupation, day in wanted}}
    list_ids = {pk for found in in_force.values() for pk in found.list_ids(ROUTE_LIST_KINDS)}
    naming: dict[int, set[int]] = {}  # list id -> the wanted occupations it names
    for list_id, occupation_id in ShortageListOccupation.objects.filter(
        entry__shortage_list_id__in=list_ids, occupation_id__in={occupation for occupation, _day in wanted}
    ).values_list("entry__shortage_list_id", "occupation_id"):
        naming.setdefault(list_id, set()).add(occupation_id)
    references = {}
    for occupation_id, day in wanted:
        found = in_force[day]
        route_lists = [lists for kind, lists in found.lists.items() if kind in ROUTE_LIST_KINDS]
        minimum_wage = minimum_wage_on(day)
        references[(occupation_id, day)] = CheckReference(
            today=today,
            day=day,
            thresholds=found.amounts(),
            lists_known=bool(route_lists),
            occupation_list_kinds=frozenset(
                lists.kind
                for lists in route_lists
                if any(occupation_id in naming.get(pk, ()) for pk in lists.list_ids)
            ),
            minimum_monthly_wage=minimum_wage.monthly_gross_eur if minimum_wage else None,
            provisional=tuple(
                part.as_tuple()
                for part in found.provisional_parts(categories=ROUTE_CATEGORIES, kinds=ROUTE_LIST_KINDS)
            ),
        )
    return references


def vacancy_terms(vacancy: Vacancy, *, language_requirement_count: int | None = None) -> VacancyTerms:
    """The vacancy's terms as the checker reads them (``language_requirement_count``: when the caller has
    already read the requirements, saving a query)."""
    if language_requirement_count is None:
        language_requirement_count = vacancy.language_requirements.count()
    return VacancyTerms(
        region=vacancy.region,
        gross_annual_salary_eur=vacancy.gross_annual_salary_eur,
        function_vks_level=vacancy.function_vks_level,
        contract_type=vacancy.contract_type,
        contract_months=vacancy.contract_months,
        pay_category=vacancy.pay_category,
        is_secondment=vacancy.is_secondment,
        start_date=vacancy.start_date,
        language_requirement_count=language_requirement_count,
        weekly_hours=vacancy.weekly_hours,
        kind=vacancy.kind,
    )


def vacancy_check(
    vacancy: Vacancy, *, today: datetime.date, language_requirement_count: int | None = None
) -> CheckResult:
    """The checker's findings for a saved vacancy, with the reference data valid on its start date."""
    reference = check_reference_for(
        occupation_id=vacancy.occupation_id, start_date=vacancy.start_date, today=today
    )
    terms = vacancy_terms(vacancy, language_requirement_count=language_requirement_count)
    return check_vacancy(terms, reference)
