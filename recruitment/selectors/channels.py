"""The vacancy page's search channels (``concentric``): the one part only recruitment can read, its
cases per country of residence of the candidate."""

from django.db.models import Count

from recruitment.models import Placement
from vacancies.models import Vacancy


def vacancy_cases_by_country(vacancy: Vacancy) -> dict[str, int]:
    """Country of residence -> the number of the vacancy's cases (one grouped query over one vacancy's
    cases, a few dozen at most: people work each of them by hand)."""
    rows = (
        Placement.objects.filter(vacancy=vacancy)
        .order_by()
        .values("candidate__country_of_residence")
        .annotate(n=Count("pk"))
        .values_list("candidate__country_of_residence", "n")
    )
    return {country or "": n for country, n in rows}
