"""What a partner agency may see of matches and cases: one rule for its API and for its webhooks.

The partner API lists through these (``api.selectors``, ``recruitment.selectors.placements_for_partner``)
and the services that emit webhook events send an event only about a row these return, so an event
never names what the API would answer 404 for. The rule lives here, outside ``selectors`` and
``services``, because both layers need it and may not import each other.
"""

from candidates.selectors import PARTNER_VISIBLE_STATUSES
from core.models import Organisation
from recruitment.models import Match, MatchQuerySet, Placement, PlacementQuerySet
from vacancies.selectors import vacancies_for_partner


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
