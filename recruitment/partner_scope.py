"""What a partner agency may see of matches, cases and vacancies: one rule for its API and its webhooks.

The partner API lists through these (``api.selectors``, ``recruitment.selectors.placements_for_partner``)
and the services that emit webhook events send an event only about a row these return, so an event
never names what the API would answer 404 for. The rule lives here, outside ``selectors`` and
``services``, because both layers need it and may not import each other.

What left a partner's view is told by the same rule, widened to what it could see before: a vacancy
open to its projects that is no longer published (``partner_vacancies_seen``), and the removed matches
of its candidates with such vacancies (``partner_match_removals``). Never anything it could not have
seen: no vacancy that was never open to its projects, nor one of an employer it may not see.
"""

from django.db.models import Exists, OuterRef, QuerySet

from candidates.selectors import PARTNER_VISIBLE_STATUSES
from core.models import Organisation
from recruitment.models import Match, MatchQuerySet, MatchRemoval, Placement, PlacementQuerySet
from vacancies.models import Vacancy, VacancyQuerySet
from vacancies.selectors import SUSPENDED, vacancies_for_partner


def partner_matches(*, organisation: Organisation) -> MatchQuerySet:
    """Stored matches of the candidates ``organisation`` registered and still sees, with the vacancies
    open to its projects. A match with any other vacancy is hidden: it would reveal the vacancy."""
    return Match.objects.filter(
        candidate__registered_by=organisation,
        candidate__status__in=PARTNER_VISIBLE_STATUSES,
        vacancy__in=vacancies_for_partner(organisation=organisation).values("pk"),
    )


def partner_placements(*, organisation: Organisation) -> PlacementQuerySet:
    """Cases of the candidates ``organisation`` registered and still sees, whatever the vacancy (a case
    is the agency's to follow); a withdrawn candidate's cases go with them."""
    return Placement.objects.for_partner(organisation).filter(candidate__status__in=PARTNER_VISIBLE_STATUSES)


def partner_vacancies_seen(*, organisation: Organisation) -> VacancyQuerySet:
    """Vacancies open to a project ``organisation`` takes part in, of employers in good standing, that
    were published at some point, whatever their status now: ``vacancies_for_partner`` and those of them
    closed or filled since. Their ids are the partner's to know."""
    open_to_partner = Vacancy.open_to_projects.through.objects.filter(
        vacancy_id=OuterRef("pk"), project__partnerships__organisation=organisation
    )
    return (
        Vacancy.objects.filter(Exists(open_to_partner), published_at__isnull=False)
        .exclude(employer__compliance_status__in=SUSPENDED)
        .order_by()
    )


def partner_match_removals(*, organisation: Organisation) -> QuerySet[MatchRemoval]:
    """Removed matches of the candidates ``organisation`` registered (whatever their status now: a
    withdrawn candidate's matches go too) with vacancies it has seen (``partner_vacancies_seen``).

    A pair matched again since is left out while its match is one the partner sees: ``GET /matches/``
    shows it, and a copy that applied the removal after the new match would lose it."""
    matched_again = partner_matches(organisation=organisation).filter(
        vacancy_id=OuterRef("vacancy_id"), candidate_id=OuterRef("candidate_id")
    )
    return MatchRemoval.objects.filter(
        candidate__registered_by=organisation,
        vacancy__in=partner_vacancies_seen(organisation=organisation).values("pk"),
    ).exclude(Exists(matched_again))
