"""Erase a candidate (GDPR art. 17): their personal data gone from every table, file and payload.

``candidate_erase`` is the one code path: a request executed by staff, the retention job's anonymisation
of an inactive candidate, and an operator all go through it. Everything happens in one transaction under
the candidate's row lock; files are deleted after it commits (a file system has no rollback). Running it
again on an erased candidate finds nothing left and changes nothing.

What happens (docs/privacy.md has the table with the reasons):

- The candidate row stays, anonymised: every identifying or descriptive field blanked or reset (the
  name, e-mail, phone, date of birth, nationalities, passport, preferences, dates of withdrawal and
  restriction), the status ``anonymised``. Kept: the ids (``public_id``; ``external_id``, the
  registering partner's own reference, which its API feed of removed candidates needs so that it can
  erase its copy), who registered them, the project and cohort, the country of residence and the
  dates of the row: what the funders' counts are made of.
- Every row that hangs from the candidate is deleted (languages, diplomas and their recognition,
  experience, skills, licences, training, consents, restrictions, notes, the access log, invitations,
  correction requests, read receipts, reminders, ...), found through the model registry rather than a
  list, so a table added later is erased too unless it is named in ``KEPT_RELATIONS``; any file its
  rows hold is deleted.
- Cases: those under a legal hold (``privacy.holds``) stay with their stages and dates, their texts
  (message to the employer, comments, frozen match explanations, and the free text of every row that
  hangs from the case: interview places, the notes of its recruitment costs, the notes on a trainee's
  outcomes after return, ...) blanked; the others are deleted with their moves, notes and interview
  slots. The funnel steps the deleted records proved are kept first
  (``recruitment.services.funnel_retention``), so no count reported to a funder drops.
- Stored matches are deleted (a partner keeping a copy learns of it, ids only, like any removal), and
  the recompute queued by the version bump finds nothing more to do.
- Webhook events naming the candidate or one of their cases are deleted with their deliveries and
  attempts; so are the API's idempotency records that refer to them.
- The candidate's sign-in (account and user) is deleted, and with the user its second-factor devices.
- The admin's log entries about the candidate keep their date and author, not the person's name.
"""

import datetime
import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.deletion import Collector
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import IdempotencyRecord
from candidate_space.models import CandidateAccount
from candidates.models import Candidate, ProfileAccess, RecruitmentCost
from candidates.services import candidate_save
from candidates.services.anonymous import candidate_fields_anonymise
from core.models import User
from privacy.holds import under_legal_hold
from privacy.models import ErasureRequest, RequestedBy
from privacy.relations import candidate_relations
from recruitment.matching.codes import OUTCOME_CODE
from recruitment.matching.results import Outcome
from recruitment.models import Match, Placement, PlacementTransition
from recruitment.services.funnel_retention import funnel_steps_retain
from recruitment.services.upsert import match_counts_add, matches_delete
from webhooks.models import WebhookEvent

logger = logging.getLogger(__name__)

ERASED = "[erased]"

# Tables pointing at the candidate whose rows stay (every other one is deleted), and why:
KEPT_RELATIONS = frozenset(
    {
        "privacy.ErasureRequest",  # the record that the erasure happened (no personal data)
        "recruitment.RetainedFunnelStep",  # the funders' counts (a step reached, nothing else)
        "recruitment.MatchRemoval",  # ids only, pruned after days: partners delete their copies by it
        "recruitment.MatchJob",  # the recompute's audit trail: ids and counts
        "candidates.RecruitmentCost",  # the employer-pays ledger: amounts and payers, evidence blanked
        "recruitment.Placement",  # handled below: held cases kept without texts, the others deleted
        "recruitment.Match",  # handled below: deleted as the recompute deletes (removal recorded)
    }
)


# Free text on a held case's rows that a constraint requires once written (a refunded cost names its
# evidence, a voided one its reason): marked "[erased]" instead of blanked.
MARKED_WHEN_WRITTEN = frozenset({"costs.CaseCost.refund_evidence", "costs.CaseCost.void_reason"})


@dataclass
class ErasureReport:
    """What one run erased (ids and counts only: it is logged)."""

    held_cases: list[dict[str, str]] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)
    access_log_entries: int = 0
    files: int = 0

    def count(self, label: str, number: int) -> None:
        if number:
            self.deleted[label] = self.deleted.get(label, 0) + number


@functools.cache
def _files_stored_anywhere() -> bool:
    """Whether any table holds files at all (none does today: the collection below is then skipped)."""
    return any(
        isinstance(f, models.FileField) for model in apps.get_models() for f in model._meta.concrete_fields
    )


def _files_of(querysets: Iterable[QuerySet[models.Model]]) -> list[tuple[Storage, str]]:
    """The stored files of the rows these querysets delete, cascades included."""
    if not _files_stored_anywhere():
        return []
    collector = Collector(using=DEFAULT_DB_ALIAS)
    found: list[tuple[Storage, str]] = []
    for queryset in querysets:
        collector.collect(queryset)
    groups: list[tuple[type[models.Model], Iterable[models.Model]]] = list(collector.data.items())
    groups += [(fast.model, fast) for fast in collector.fast_deletes]
    for model, rows in groups:
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for row in rows if file_fields else ():
            for file_field in file_fields:
                name = getattr(row, file_field.attname)
                if name:
                    found.append((file_field.storage, str(name)))
    return found


def _delete(
    queryset: QuerySet[models.Model], report: ErasureReport, files: list[tuple[Storage, str]]
) -> None:
    files += _files_of([queryset])
    _total, per_model = queryset.delete()
    for label, number in per_model.items():
        report.count(label, number)


def _delete_files_after_commit(files: list[tuple[Storage, str]]) -> None:
    def delete() -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError as exc:  # logged by class only; the operator finds the file by the id
                logger.error("erased candidate's file not deleted (%s)", type(exc).__name__)

    if files:
        transaction.on_commit(delete)


def events_naming(*, organisation_id: int, references: list[str]) -> QuerySet[WebhookEvent]:
    """The outbox's events for ``organisation_id`` whose data names one of ``references`` (public ids),
    under any key. Only the registering agency is ever told about a candidate and their cases (a
    subscription receives events about its organisation's own candidates: ``recruitment.partner_scope``),
    so only its events are searched, not the whole outbox."""
    named = Q()
    for reference in references:
        named |= Q(text__contains=reference)
    return (
        WebhookEvent.objects.filter(organisation_id=organisation_id)
        .annotate(text=Cast("data", TextField()))
        .filter(named)
    )


def _scrub_payloads(candidate: Candidate, case_ids: list[str], report: ErasureReport) -> None:
    """Webhook events (with their deliveries and attempts) and idempotency records naming the candidate
    or one of their cases. Idempotency records live a day: a text search over all of them is cheap."""
    references = [str(candidate.public_id), *case_ids]
    named = Q()
    for reference in references:
        named |= Q(text__contains=reference)
    events = events_naming(organisation_id=candidate.registered_by_id, references=references)
    _total, per_model = WebhookEvent.objects.filter(pk__in=list(events.values_list("pk", flat=True))).delete()
    for label, number in per_model.items():
        report.count(label, number)
    records = IdempotencyRecord.objects.annotate(text=Cast("response", TextField())).filter(named)
    report.count(
        IdempotencyRecord._meta.label,
        IdempotencyRecord.objects.filter(pk__in=list(records.values_list("pk", flat=True))).delete()[0],
    )


def _matches_delete(candidate: Candidate, now: datetime.datetime, report: ErasureReport) -> None:
    """As the recompute deletes a match: a removal recorded per pair, the vacancies' counts lowered."""
    rows = list(Match.objects.filter(candidate=candidate).values_list("vacancy_id", "outcome"))
    if not rows:
        return
    vacancy_ids = np.array([vacancy_id for vacancy_id, _outcome in rows], dtype=np.int64)
    outcomes = np.array([OUTCOME_CODE[Outcome(outcome)] for _vacancy, outcome in rows], dtype=np.int64)
    gone = matches_delete(by="candidate", subject_id=candidate.pk, other_ids=vacancy_ids, now=now)
    match_counts_add(vacancy_ids, outcomes, np.full(len(rows), -1, dtype=np.int64))
    report.count(Match._meta.label, gone)


def _free_text(model: type[models.Model]) -> list[str]:
    """What a person wrote on a row: its optional text and character fields without choices (a stage,
    a code or a currency has choices or is required, and says nothing about the person)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField | models.CharField) and field.blank and not field.choices
    ]


def _held_case_texts_erase(held_ids: list[int]) -> None:
    """The free text of every row that hangs from a held case (its moves' comments, interview places,
    the notes of its costs, the notes on a trainee's outcomes after return, ...): blanked, or marked
    where a constraint needs it once written (``MARKED_WHEN_WRITTEN``). The tables are found in the model
    registry, as the candidate's are, so a table another app hangs from a case later loses its texts too
    (its amounts, dates and choices stay: the record the hold is for)."""
    for relation in Placement._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        rows = model._base_manager.filter(**{f"{relation.field.name}__in": held_ids})
        names = _free_text(model)
        marked = [name for name in names if f"{model._meta.label}.{name}" in MARKED_WHEN_WRITTEN]
        blanked = {name: "" for name in names if name not in marked}
        if blanked:
            rows.update(**blanked)
        for name in marked:
            rows.exclude(**{name: ""}).update(**{name: ERASED})


def _cases(
    candidate: Candidate, now: datetime.datetime, report: ErasureReport, files: list[tuple[Storage, str]]
) -> None:
    cases = Placement.objects.filter(candidate=candidate)
    held = list(cases.filter(under_legal_hold()).order_by("pk").values_list("pk", "public_id", "stage"))
    held_ids = [pk for pk, _public_id, _stage in held]
    gone_ids = list(cases.exclude(pk__in=held_ids).values_list("pk", flat=True))
    # Before anything that proves a funnel step is deleted (cases, programmes, matches).
    funnel_steps_retain(
        candidate=candidate, placement_ids=gone_ids, now=now, with_programmes_and_matches=True
    )
    _scrub_payloads(
        candidate, [str(public_id) for public_id in cases.values_list("public_id", flat=True)], report
    )
    # A held case keeps its stages and dates; what a person wrote or the machine explained about the
    # candidate goes: on the case, its frozen explanations, and every row that hangs from it.
    Placement.objects.filter(pk__in=held_ids).update(proposal_message="", comment="")
    PlacementTransition.objects.filter(placement_id__in=held_ids).update(explanation={})
    _held_case_texts_erase(held_ids)
    _delete(Placement.objects.filter(pk__in=gone_ids), report, files)
    report.held_cases = [{"case": str(public_id), "stage": stage} for _pk, public_id, stage in held]


def _admin_log_scrub(candidate: Candidate, names: list[str]) -> None:
    """The admin's history names objects by their text (a candidate, a consent "... (Name)")."""
    about = Q(content_type=ContentType.objects.get_for_model(Candidate), object_id=str(candidate.pk))
    for name in names:
        about |= Q(object_repr__icontains=name)
    LogEntry.objects.filter(about).update(object_repr=ERASED, change_message="")


def _erase(candidate: Candidate, now: datetime.datetime) -> ErasureReport:
    """Everything but the bookkeeping, in the caller's transaction, the candidate row locked."""
    report = ErasureReport()
    files: list[tuple[Storage, str]] = []
    names = [n for n in (str(candidate).strip(), candidate.email, candidate.phone) if len(n) >= 3]
    _cases(candidate, now, report, files)
    _matches_delete(candidate, now, report)
    report.access_log_entries = ProfileAccess.objects.filter(candidate=candidate).count()
    account_users = list(
        CandidateAccount.objects.filter(candidate=candidate).values_list("user_id", flat=True)
    )
    for relation in candidate_relations():
        model = relation.related_model
        if model._meta.label in KEPT_RELATIONS:
            continue
        _delete(model._base_manager.filter(**{relation.field.name: candidate}), report, files)
    # The sign-in goes with the account: never a user of another role, whatever the link says.
    _delete(User.objects.filter(pk__in=account_users, role=User.Role.CANDIDATE), report, files)
    RecruitmentCost.objects.filter(candidate=candidate).update(evidence="")
    candidate_fields_anonymise(candidate)
    candidate_save(candidate)  # bumps the profile version: a running recompute drops its pairs
    _admin_log_scrub(candidate, names)
    report.files = len(files)
    _delete_files_after_commit(files)
    return report


def candidate_erase(
    *,
    candidate: Candidate,
    by: User | None = None,
    kind: str = RequestedBy.STAFF,
    now: datetime.datetime | None = None,
    request: ErasureRequest | None = None,
) -> ErasureRequest:
    """Erase ``candidate``'s personal data (see the module's docstring) and return the erasure request
    it executes: the candidate's open one, or a new one asked by ``kind`` (staff, the retention job).

    ``by``: the staff member executing it, or None for the retention job. ``request``: the open request
    a person chose to execute; a ``ValidationError`` if it is no longer open (refused or executed by
    someone else meanwhile), and nothing is erased. Locks the candidate's row, then the request's.

    One transaction; idempotent: on an erased candidate it deletes what may have appeared since
    (nothing, as a rule) and returns the request that erased them, recording no new one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        current = Candidate.objects.select_for_update().get(pk=candidate.pk)
        open_request = (
            ErasureRequest.objects.select_for_update()
            .filter(candidate=current, status=ErasureRequest.Status.REQUESTED)
            .first()
        )
        if request is not None and (open_request is None or open_request.pk != request.pk):
            raise ValidationError(_("This request has already been handled."), code="decided")
        request = open_request
        already = current.status == Candidate.Status.ANONYMISED
        report = _erase(current, now)
        if request is None and already:
            request = (
                ErasureRequest.objects.filter(candidate=current, status=ErasureRequest.Status.EXECUTED)
                .order_by("-decided_at")
                .first()
            )
        if request is None:
            request = ErasureRequest(
                candidate=current,
                candidate_reference=current.public_id,
                requested_at=now,
                requested_by_kind=kind,
                requested_by=by if kind == RequestedBy.STAFF else None,
            )
        if request.status == ErasureRequest.Status.REQUESTED:
            request.status = ErasureRequest.Status.EXECUTED
            request.decided_at = now
            request.decided_by = by
        request.legal_holds = report.held_cases
        request.access_log_entries_removed += report.access_log_entries
        request.save()
    logger.info(
        "candidate %s erased: request %s, %s case(s) held, rows deleted %s, files %s",
        current.pk,
        request.pk,
        len(report.held_cases),
        sorted(report.deleted.items()),
        report.files,
    )
    candidate.status = current.status
    return request
