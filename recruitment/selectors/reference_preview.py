"""What publishing an uploaded reference file would change for the open vacancies (the reference data page).

The reference data is read twice through the same rule and code as the pages (``reference.in_force``,
the pre-publication checker, the vacancy outlooks): as it is, and with the upload written inside a
savepoint that is rolled back (``reference.publishing.with_plan_applied``). Per open vacancy:

* on its checked day (the start date; today without one): the salary against each route's threshold,
  the lists naming its occupation, the routes its terms leave open, and what is provisional;
* today, the day the matching computes for: the routes open on the vacancy's side. Matches change when
  those do; every open vacancy is recomputed anyway, as the basis changes, but these are the ones whose
  matches can come out differently (an estimate: the candidates' side is the recompute's business).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count

from recruitment.models import Match
from recruitment.selectors import vacancy_outlooks
from reference.publishing import with_plan_applied
from reference.uploads import Plan
from vacancies.checker import CheckReference, Route, ThresholdCategory, check_day, check_vacancy
from vacancies.checks import check_references, vacancy_terms
from vacancies.models import Vacancy

SALARY_ROUTES = (
    (Route.HIGHLY_SKILLED, ThresholdCategory.HIGHLY_SKILLED),
    (Route.EU_BLUE_CARD, ThresholdCategory.EU_BLUE_CARD),
)
SHOWN = 200  # vacancies listed on the page; the count covers them all


@dataclass(frozen=True)
class VacancyState:
    salary: tuple[tuple[str, str], ...]  # (route, "meets" / "below" / "unknown") on the checked day
    lists: tuple[str, ...]  # list kinds naming the occupation on the checked day
    routes: tuple[str, ...]  # routes open on the checked day (pre-publication check)
    provisional: tuple[str, ...]  # parts applied provisionally on the checked day
    matching_routes: tuple[str, ...]  # routes open on the vacancy's side today


@dataclass(frozen=True)
class VacancyChange:
    vacancy: Vacancy
    day: datetime.date
    before: VacancyState
    after: VacancyState
    matches: int  # stored matches of the vacancy

    @property
    def salary_changes(self) -> list[tuple[str, str, str]]:
        after = dict(self.after.salary)
        return [(route, was, after[route]) for route, was in self.before.salary if after[route] != was]

    @property
    def routes_opening(self) -> list[str]:
        return [route for route in self.after.routes if route not in self.before.routes]

    @property
    def routes_closing(self) -> list[str]:
        return [route for route in self.before.routes if route not in self.after.routes]

    @property
    def matching_changes(self) -> bool:
        return self.before.matching_routes != self.after.matching_routes


@dataclass(frozen=True)
class Preview:
    open_vacancies: int
    changes: list[VacancyChange]  # the first SHOWN
    changed: int
    matches_to_recompute: int  # stored matches of the vacancies whose matching routes change


def _salary(vacancy: Vacancy, reference: CheckReference) -> tuple[tuple[str, str], ...]:
    states = []
    for route, category in SALARY_ROUTES:
        threshold = reference.thresholds.get(category)
        if threshold is None:
            states.append((route.value, "unknown"))
        else:
            states.append((route.value, "meets" if vacancy.gross_annual_salary_eur >= threshold else "below"))
    return tuple(states)


def _states(vacancies: list[Vacancy], today: datetime.date) -> dict[int, VacancyState]:
    days = {vacancy.pk: check_day(vacancy.start_date, today) for vacancy in vacancies}
    references = check_references({(v.occupation_id, days[v.pk]) for v in vacancies}, today=today)
    outlooks = vacancy_outlooks(vacancies, day=today)
    states = {}
    for vacancy in vacancies:
        reference = references[(vacancy.occupation_id, days[vacancy.pk])]
        terms = vacancy_terms(vacancy, language_requirement_count=vacancy.language_count)  # type: ignore[attr-defined]
        result = check_vacancy(terms, reference)
        states[vacancy.pk] = VacancyState(
            salary=_salary(vacancy, reference),
            lists=tuple(sorted(reference.occupation_list_kinds)),
            routes=tuple(result.open_routes),
            provisional=tuple(part for part, _start, _end in reference.provisional),
            matching_routes=outlooks[vacancy.pk].routes,
        )
    return states


def reference_upload_preview(plan: Plan, *, today: datetime.date) -> Preview:
    """Which open vacancies the upload changes, and how (see the module docstring)."""
    vacancies: list[Vacancy] = list(
        Vacancy.objects.open()
        .select_related("employer", "occupation")
        .annotate(language_count=Count("language_requirements"))
        .order_by("title", "pk")
    )
    before = _states(vacancies, today)
    after = with_plan_applied(plan, lambda: _states(vacancies, today))
    match_counts = dict(
        Match.objects.filter(vacancy__status=Vacancy.Status.PUBLISHED)
        .values("vacancy_id")
        .annotate(count=Count("pk"))
        .values_list("vacancy_id", "count")
    )
    changes = [
        VacancyChange(
            vacancy,
            check_day(vacancy.start_date, today),
            before[vacancy.pk],
            after[vacancy.pk],
            match_counts.get(vacancy.pk, 0),
        )
        for vacancy in vacancies
        if before[vacancy.pk] != after[vacancy.pk]
    ]
    return Preview(
        open_vacancies=len(vacancies),
        changes=changes[:SHOWN],
        changed=len(changes),
        matches_to_recompute=sum(change.matches for change in changes if change.matching_changes),
    )
