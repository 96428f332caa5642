"""Reads for the pre-publication checker (``vacancies.checker``): the reference data valid on the checked
day and the vacancy's own terms. Reads only, never writes.

Three queries per vacancy whatever the data: the thresholds, the lists valid on the day (with whether
each names the occupation), and the number of language requirements. The minimum wage is read from the
reference data file (``reference.minimum_wage``), not the database.
"""

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef

from core.choices import Region
from reference.minimum_wage import minimum_wage_on
from reference.models import SalaryThreshold, ShortageList, ShortageListOccupation
from vacancies.checker import CheckReference, CheckResult, VacancyTerms, check_day, check_vacancy
from vacancies.models import Vacancy

# The lists that open a route; a list of another kind (EU Talent Pool) is not a Flemish permit route.
ROUTE_LIST_KINDS = (ShortageList.Kind.VDAB_SHORTAGE, ShortageList.Kind.MIGRATION_MEDIUM_SKILLED)


def check_reference_for(
    *, occupation_id: int, start_date: datetime.date | None, today: datetime.date
) -> CheckReference:
    """The Flemish thresholds and shortage lists valid on the checked day, which lists name the
    occupation, and the Belgian minimum wage. When two thresholds of one category overlap (a data
    error), the later start wins, as in the matching adapters."""
    day = check_day(start_date, today)
    thresholds: dict[str, Decimal] = {}
    for category, amount in (
        SalaryThreshold.objects.valid_on(day)
        .filter(region=Region.FLANDERS)
        .order_by("category", "valid_from")
        .values_list("category", "annual_gross_eur")
    ):
        thresholds[category] = amount
    names_occupation = ShortageListOccupation.objects.filter(
        entry__shortage_list=OuterRef("pk"), occupation_id=occupation_id
    )
    lists = list(
        ShortageList.objects.valid_on(day)
        .filter(region=Region.FLANDERS, kind__in=ROUTE_LIST_KINDS)
        .annotate(names_occupation=Exists(names_occupation))
        .values_list("kind", "names_occupation")
    )
    minimum_wage = minimum_wage_on(day)
    return CheckReference(
        today=today,
        day=day,
        thresholds=thresholds,
        lists_known=bool(lists),
        occupation_list_kinds=frozenset(kind for kind, named in lists if named),
        minimum_monthly_wage=minimum_wage.monthly_gross_eur if minimum_wage else None,
    )


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
