"""Tell partner agencies what happens to their candidates' matches and to the vacancies they see.

- ``match.created`` / ``match.updated`` / ``match.removed``: called by the recompute inside its write
  transaction (``recompute._write``), with the pairs it has just added, rewritten or deleted: the events
  are outbox rows that commit with the matches (or not at all).
- ``vacancy.updated`` / ``vacancy.closed``: ``vacancy_changed_emit``, for the transaction that handles a
  new version of a vacancy.

Each emitter first reads which organisations have an active subscription to its event type: one small
query, and nothing more when nobody subscribed (a recompute that writes thousands of matches then costs
that one query per event type). A subscription's ``min_score`` filters match.created and match.updated
on the score the match has now.

An agency hears only of what its API shows it (``recruitment.partner_scope``): a created or updated match
only while ``GET /matches/`` lists it (a match with a vacancy not open to its projects would name that
vacancy, with a score, where the API answers 404); a removed match only when ``GET /matches/removed/``
may list it (its candidate, a vacancy it has seen); a vacancy only while open to its projects.
"""

from collections.abc import Iterable
from decimal import Decimal

import numpy as np

from candidates.models import Candidate
from core.models import Organisation
from projects.models import ProjectPartner
from recruitment.partner_scope import partner_matches, partner_vacancies_seen
from vacancies.models import Vacancy
from vacancies.selectors import vacancies_for_partner
from webhooks.events import EmittedEvent, EventType
from webhooks.models import WebhookSubscription
from webhooks.services import webhook_events_emit_many

CHUNK = 900  # ids per IN (...) list: under SQLite's old bound parameter limit
PAIR_CHUNK = CHUNK // 2  # pairs per query: their candidate ids and vacancy ids are two IN lists

Pair = tuple[int, int, str, Decimal]  # vacancy id, candidate id, outcome, score


def _subscribed_organisations(*event_types: str) -> set[int]:
    """Organisations with an active subscription to any of ``event_types`` (one query)."""
    rows = WebhookSubscription.objects.filter(is_active=True).values_list("organisation_id", "event_types")
    return {organisation_id for organisation_id, types in rows if set(event_types) & set(types)}


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


def _visible_events(organisation: Organisation, pairs: list[Pair], event_type: str) -> list[EmittedEvent]:
    """Events for the stored pairs ``organisation``'s API shows; the others are left out silently."""
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
                    event_type=event_type,
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


def _stored_pairs_emit(pairs: list[Pair], event_type: str) -> int:
    organisations = _subscribed_organisations(event_type) if pairs else set()
    if not organisations:
        return 0
    by_agency = _pairs_by_agency(pairs, organisations)
    events: list[EmittedEvent] = []
    for organisation in Organisation.objects.filter(pk__in=by_agency).order_by("pk"):
        events += _visible_events(organisation, by_agency[organisation.pk], event_type)
    return webhook_events_emit_many(events=events)


def matches_created_emit(*, added: Iterable[Pair]) -> int:
    """Emit ``match.created`` for newly stored (vacancy id, candidate id, outcome, score) pairs.

    Returns the number of deliveries written. Near-misses are announced too (their outcome says so): a
    partner can act on what is missing, such as enrolling the candidate in a Dutch course.
    """
    return _stored_pairs_emit(list(added), EventType.MATCH_CREATED)


def matches_updated_emit(*, updated: Iterable[Pair]) -> int:
    """Emit ``match.updated`` for rewritten (vacancy id, candidate id, outcome, score) pairs: what the
    recompute stored differs from before (outcome, score, failed conditions or routes), so the match's
    ``computed_at`` moved and ``GET /matches/?updated_since=`` lists it. Returns the deliveries written."""
    return _stored_pairs_emit(list(updated), EventType.MATCH_UPDATED)


def matches_removed_emit(*, by: str, subject_id: int, other_ids: np.ndarray) -> int:
    """Emit ``match.removed`` for the matches one recompute deletes: those of the vacancy (``by`` =
    "vacancy") or the candidate ("candidate") ``subject_id`` with each of ``other_ids``.

    Called in the deleting transaction, with the ids it deletes. The data holds the ids only (the pair
    no longer matches: no score). Returns the number of deliveries written.
    """
    others = [int(other) for other in other_ids]
    organisations = _subscribed_organisations(EventType.MATCH_REMOVED) if others else set()
    if not organisations:
        return 0
    pairs = [(subject_id, other) if by == "vacancy" else (other, subject_id) for other in others]
    candidates: dict[int, tuple[int, str, str]] = {}  # id -> agency, public id, external id
    candidate_ids = sorted({candidate_id for _, candidate_id in pairs})
    for start in range(0, len(candidate_ids), CHUNK):
        rows = Candidate.objects.filter(
            pk__in=candidate_ids[start : start + CHUNK], registered_by_id__in=organisations
        ).values_list("pk", "registered_by_id", "public_id", "external_id")
        candidates.update({pk: (agency, str(public_id), ext) for pk, agency, public_id, ext in rows})
    by_agency: dict[int, list[tuple[int, int]]] = {}
    for vacancy_id, candidate_id in pairs:
        if candidate_id in candidates:
            by_agency.setdefault(candidates[candidate_id][0], []).append((vacancy_id, candidate_id))
    events: list[EmittedEvent] = []
    for organisation in Organisation.objects.filter(pk__in=by_agency).order_by("pk"):
        agency_pairs = sorted(by_agency[organisation.pk])
        vacancy_ids = sorted({vacancy_id for vacancy_id, _ in agency_pairs})
        seen: dict[int, str] = {}
        for start in range(0, len(vacancy_ids), CHUNK):
            seen.update(
                (pk, str(public_id))
                for pk, public_id in partner_vacancies_seen(organisation=organisation)
                .filter(pk__in=vacancy_ids[start : start + CHUNK])
                .values_list("pk", "public_id")
            )
        events += [
            EmittedEvent(
                organisation_id=organisation.pk,
                event_type=EventType.MATCH_REMOVED,
                data={
                    "candidate": candidates[candidate_id][1],
                    "external_id": candidates[candidate_id][2],
                    "vacancy": seen[vacancy_id],
                },
            )
            for vacancy_id, candidate_id in agency_pairs
            if vacancy_id in seen
        ]
    return webhook_events_emit_many(events=events)


def vacancy_changed_emit(*, vacancy_id: int) -> int:
    """Emit ``vacancy.updated`` (it is published: new, or changed) or ``vacancy.closed`` (it no longer
    is) to the agencies whose projects the vacancy is open to, as it stands now.

    For the transaction that handles a new version of the vacancy (every change of it, its requirements,
    its projects or its status bumps ``criteria_version``), so that each version is announced once. Data:
    the vacancy's id and status. Returns the number of deliveries written.
    """
    organisations = _subscribed_organisations(EventType.VACANCY_UPDATED, EventType.VACANCY_CLOSED)
    if not organisations:
        return 0
    projects = Vacancy.open_to_projects.through.objects.filter(vacancy_id=vacancy_id).values("project_id")
    partners = ProjectPartner.objects.filter(project_id__in=projects, organisation_id__in=organisations)
    events: list[EmittedEvent] = []
    for organisation in Organisation.objects.filter(pk__in=partners.values("organisation_id")).order_by("pk"):
        if vacancies_for_partner(organisation=organisation).filter(pk=vacancy_id).exists():
            event_type = EventType.VACANCY_UPDATED
        elif (
            partner_vacancies_seen(organisation=organisation)
            .filter(pk=vacancy_id)
            .exclude(status=Vacancy.Status.PUBLISHED)
            .exists()
        ):
            event_type = EventType.VACANCY_CLOSED
        else:
            continue  # never open to its projects, or of an employer it may not see
        row = Vacancy.objects.filter(pk=vacancy_id).values("public_id", "status").get()
        events.append(
            EmittedEvent(
                organisation_id=organisation.pk,
                event_type=event_type,
                data={"vacancy": str(row["public_id"]), "status": row["status"]},
            )
        )
    return webhook_events_emit_many(events=events)
