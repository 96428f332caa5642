"""Tell partner agencies when one of their candidates newly matches a vacancy (``match.created``).

Called by the recompute inside its write transaction, with the pairs it has just added: the events are
outbox rows that commit with the matches (or not at all). Only pairs whose candidate's agency has an
active ``match.created`` subscription are looked at, so a recompute that adds thousands of matches costs
one small query when nobody subscribed. A subscription's ``min_score`` filters on the event's score.

An agency hears only of the matches its API shows it (``recruitment.partner_scope.partner_matches``):
a match with a vacancy that is not open to its projects would name that vacancy, with a score, where the
API answers 404.
"""

from collections.abc import Iterable
from decimal import Decimal

from candidates.models import Candidate
from core.models import Organisation
from recruitment.partner_scope import partner_matches
from webhooks.events import EmittedEvent, EventType
from webhooks.models import WebhookSubscription
from webhooks.services import webhook_events_emit_many

CHUNK = 900  # ids per IN (...) list: under SQLite's old bound parameter limit
PAIR_CHUNK = CHUNK // 2  # pairs per query: their candidate ids and vacancy ids are two IN lists

Pair = tuple[int, int, str, Decimal]  # vacancy id, candidate id, outcome, score


def _subscribed_organisations() -> set[int]:
    rows = WebhookSubscription.objects.filter(is_active=True).values_list("organisation_id", "event_types")
    return {organisation_id for organisation_id, types in rows if EventType.MATCH_CREATED.value in types}


def _pairs_by_agency(pairs: list[Pair], organisations: set[int]) -> dict[int, list[Pair]]:
    """The pairs whose candidate one of ``organisations`` registered, by that organisation."""
    agency: dict[int, int] = {}
    candidate_ids = sorted({candidate_id for _, candidate_id, _, _ in pairs})
    for start in range(0, len(candidate_ids), CHUNK):
        agency.update(
            Candidate.objects.filter(
                pk__in=candidate_ids[start : start + CHUNK], registered_by_id__in=organisations
            ).values_list("pk", "registered_by_id")
        )
    by_agency: dict[int, list[Pair]] = {}
    for pair in pairs:
        if pair[1] in agency:
            by_agency.setdefault(agency[pair[1]], []).append(pair)
    return by_agency


def _visible_events(organisation: Organisation, pairs: list[Pair]) -> list[EmittedEvent]:
    """Events for the pairs ``organisation``'s API shows; the others are left out silently."""
    events: list[EmittedEvent] = []
    pairs = sorted(pairs)  # by vacancy: a chunk of a vacancy's recompute names one vacancy
    for start in range(0, len(pairs), PAIR_CHUNK):
        chunk = {
            (vacancy_id, candidate_id): (outcome, score)
            for vacancy_id, candidate_id, outcome, score in pairs[start : start + PAIR_CHUNK]
        }
        visible = (
            partner_matches(organisation=organisation)
            .filter(
                vacancy_id__in={vacancy_id for vacancy_id, _ in chunk},
                candidate_id__in={candidate_id for _, candidate_id in chunk},
            )
            .values_list(
                "vacancy_id",
                "candidate_id",
                "vacancy__public_id",
                "candidate__public_id",
                "candidate__external_id",
            )
        )
        for vacancy_id, candidate_id, vacancy, candidate, external_id in visible:
            if (vacancy_id, candidate_id) not in chunk:  # an older match of the same candidates or vacancies
                continue
            outcome, score = chunk[(vacancy_id, candidate_id)]
            events.append(
                EmittedEvent(
                    organisation_id=organisation.pk,
                    event_type=EventType.MATCH_CREATED,
                    data={
                        "candidate": str(candidate),
                        "external_id": external_id,
                        "vacancy": str(vacancy),
                        "outcome": outcome,
                        "score": str(score),
                    },
                    score=score,
                )
            )
    return events


def matches_created_emit(*, added: Iterable[Pair]) -> int:
    """Emit ``match.created`` for newly stored (vacancy id, candidate id, outcome, score) pairs.

    Returns the number of deliveries written. Near-misses are announced too (their outcome says so): a
    partner can act on what is missing, such as enrolling the candidate in a Dutch course.
    """
    pairs = list(added)
    organisations = _subscribed_organisations() if pairs else set()
    if not organisations:
        return 0
    by_agency = _pairs_by_agency(pairs, organisations)
    events: list[EmittedEvent] = []
    for organisation in Organisation.objects.filter(pk__in=by_agency).order_by("pk"):
        events += _visible_events(organisation, by_agency[organisation.pk])
    return webhook_events_emit_many(events=events)
