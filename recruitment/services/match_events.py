"""Tell partner agencies when one of their candidates newly matches a vacancy (``match.created``).

Called by the recompute inside its write transaction, with the pairs it has just added: the events are
outbox rows that commit with the matches (or not at all). Only pairs whose candidate's agency has an
active ``match.created`` subscription are looked at, so a recompute that adds thousands of matches costs
one small query when nobody subscribed. A subscription's ``min_score`` filters on the event's score.
"""

from collections.abc import Iterable
from decimal import Decimal

from candidates.models import Candidate
from vacancies.models import Vacancy
from webhooks.events import EmittedEvent, EventType
from webhooks.models import WebhookSubscription
from webhooks.services import webhook_events_emit_many

CHUNK = 900  # ids per IN (...) list: under SQLite's old bound parameter limit


def _subscribed_organisations() -> set[int]:
    rows = WebhookSubscription.objects.filter(is_active=True).values_list("organisation_id", "event_types")
    return {organisation_id for organisation_id, types in rows if EventType.MATCH_CREATED.value in types}


def matches_created_emit(*, added: Iterable[tuple[int, int, str, Decimal]]) -> int:
    """Emit ``match.created`` for newly stored (vacancy id, candidate id, outcome, score) pairs.

    Returns the number of deliveries written. Near-misses are announced too (their outcome says so): a
    partner can act on what is missing, such as enrolling the candidate in a Dutch course.
    """
    pairs = list(added)
    organisations = _subscribed_organisations() if pairs else set()
    if not organisations:
        return 0
    candidates: dict[int, tuple[int, str, str]] = {}
    candidate_ids = sorted({candidate_id for _, candidate_id, _, _ in pairs})
    for start in range(0, len(candidate_ids), CHUNK):
        for pk, organisation_id, public_id, external_id in Candidate.objects.filter(
            pk__in=candidate_ids[start : start + CHUNK], registered_by_id__in=organisations
        ).values_list("pk", "registered_by_id", "public_id", "external_id"):
            candidates[pk] = (organisation_id, str(public_id), external_id)
    pairs = [pair for pair in pairs if pair[1] in candidates]
    vacancy_ids = sorted({vacancy_id for vacancy_id, _, _, _ in pairs})
    vacancies = {
        pk: str(public_id)
        for pk, public_id in Vacancy.objects.filter(pk__in=vacancy_ids).values_list("pk", "public_id")
    }
    events = [
        EmittedEvent(
            organisation_id=candidates[candidate_id][0],
            event_type=EventType.MATCH_CREATED,
            data={
                "candidate": candidates[candidate_id][1],
                "external_id": candidates[candidate_id][2],
                "vacancy": vacancies[vacancy_id],
                "outcome": outcome,
                "score": str(score),
            },
            score=score,
        )
        for vacancy_id, candidate_id, outcome, score in pairs
    ]
    return webhook_events_emit_many(events=events)
