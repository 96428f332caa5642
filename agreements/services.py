"""Writes of agreements, and the one rule that shares a vacancy with an agreement's agencies.

How a share stays right without anybody's click (docs/pathways/agreements.md):

* every change of a vacancy (published, changed, closed, filled) and of a shortage list goes through
  ``vacancies.services.vacancy_requirements_changed``, whose recompute job (claimed, swept: never lost)
  calls ``vacancy_shares_sync`` inside its transaction, under the vacancy's row lock;
* a change of an agreement queues ``agreements.tasks.sync_agreement_shares_task``, and a daily beat task
  re-syncs every vacancy an agreement may concern, once each, except those their recompute synced today
  (an agreement's period starting or ending, or a lost message, heals there);
* ``vacancy_shares_sync`` compares the shares the vacancy should have today with the stored ones and
  writes only the difference, with its ``vacancy.shared`` / ``vacancy.closed`` events in the same
  transaction. Run twice, it writes nothing the second time; two runs of one vacancy take its row lock
  in turn, so they never both share it.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, VacancyShare, in_force_on
from core.choices import Region
from core.jobs import queue_task_after_commit
from core.models import Organisation
from reference.in_force import lists_in_force
from reference.models import EscoOccupation, ShortageList, ShortageListOccupation
from vacancies.models import Vacancy
from vacancies.selectors import SUSPENDED
from vacancies.services import vacancy_delete
from webhooks.events import EmittedEvent, EventType
from webhooks.services import webhook_events_emit_many

SYNC_AGREEMENT_TASK = "agreements.tasks.sync_agreement_shares_task"
RESERVED_CODE = "new"


@dataclass(frozen=True)
class SyncResult:
    shared: int = 0
    withdrawn: int = 0


# --- Which vacancies fit which agreement ------------------------------------------------------------


def _fitting(
    agreement: Agreement, vacancy: Mapping[str, Any], *, names: bool, kinds_naming: set[str]
) -> bool:
    """Does the published ``vacancy`` fit the in-force ``agreement``? ``names``: the agreement names the
    vacancy's occupation; ``kinds_naming``: the kinds of shortage list in force for its region that do."""
    if agreement.vacancy_kinds and vacancy["kind"] not in agreement.vacancy_kinds:
        return False
    if agreement.regions and vacancy["region"] not in agreement.regions:
        return False
    return names or bool(kinds_naming & set(agreement.shortage_list_kinds))


def _withdrawal_reason(
    published: bool, agreement: Agreement | None, agency_id: int, day: datetime.date
) -> str:
    if not published:
        return VacancyShare.WithdrawnReason.VACANCY_CLOSED
    in_force = (
        agreement is not None
        and agreement.starts_on <= day
        and (agreement.ends_on is None or agreement.ends_on >= day)
    )
    if agreement is None or not in_force or all(a.pk != agency_id for a in agreement.agencies.all()):
        return VacancyShare.WithdrawnReason.AGREEMENT_ENDED
    return VacancyShare.WithdrawnReason.NO_LONGER_FITS


@transaction.atomic
def vacancy_shares_sync(vacancy_id: int, *, day: datetime.date | None = None) -> SyncResult:
    """Share the vacancy with the agencies of every agreement it fits today, withdraw the shares it no
    longer should have, and tell each agency (``vacancy.shared`` / ``vacancy.closed``) in this transaction.

    A vacancy fits an agreement in force today when it is published, of an employer in good standing, of
    a kind and in a region the agreement names (none named: any), and its occupation is named by the
    agreement or is on a shortage list of a kind it names, in force today for the vacancy's region.
    Idempotent: only the difference is written; the vacancy's row lock orders concurrent runs.
    """
    day = day or timezone.localdate()
    vacancy = (
        Vacancy.objects.select_for_update(of=("self",))
        .filter(pk=vacancy_id)
        .values("pk", "public_id", "status", "kind", "region", "occupation_id", "employer__compliance_status")
        .first()
    )
    if vacancy is None:
        return SyncResult()
    published = (
        vacancy["status"] == Vacancy.Status.PUBLISHED
        and vacancy["employer__compliance_status"] not in SUSPENDED
    )
    stored = list(VacancyShare.objects.filter(vacancy_id=vacancy_id))
    agreements: dict[int, Agreement] = {}
    wanted: set[tuple[int, int]] = set()  # (agreement, agency)
    if published:
        named = Agreement.occupations.through.objects.filter(
            agreement_id=OuterRef("pk"), escooccupation_id=vacancy["occupation_id"]
        )
        in_force = list(
            Agreement.objects.filter(in_force_on(day))
            .annotate(names=Exists(named))
            .prefetch_related("agencies")
        )
        kinds_naming: set[str] = set()
        if any(agreement.shortage_list_kinds for agreement in in_force):  # else no need to read the lists
            kinds_naming = {
                kind
                for kind, lists in lists_in_force(
                    day, region=vacancy["region"], naming=vacancy["occupation_id"]
                ).items()
                if lists.names_occupation
            }
        for agreement in in_force:
            agreements[agreement.pk] = agreement
            if _fitting(agreement, vacancy, names=agreement.names, kinds_naming=kinds_naming):
                wanted |= {(agreement.pk, agency.pk) for agency in agreement.agencies.all()}
    # The agreements of stored shares that are not in force (ended, or not started): for the reason.
    missing = {share.agreement_id for share in stored} - set(agreements)
    if missing:
        agreements |= {a.pk: a for a in Agreement.objects.filter(pk__in=missing).prefetch_related("agencies")}

    now = timezone.now()
    events: list[EmittedEvent] = []
    withdrawn = 0
    for share in stored:
        if share.withdrawn_at is None and (share.agreement_id, share.agency_id) not in wanted:
            of_share = agreements.get(share.agreement_id)
            share.withdrawn_at = now
            share.withdrawn_reason = _withdrawal_reason(published, of_share, share.agency_id, day)
            share.save(update_fields=["withdrawn_at", "withdrawn_reason"])
            withdrawn += 1
            events.append(_closed_event(share, vacancy, of_share))
    have = {(share.agreement_id, share.agency_id): share for share in stored}
    shared = 0
    for agreement_id, agency_id in sorted(wanted):
        found = have.get((agreement_id, agency_id))
        if found is not None and found.withdrawn_at is None:
            continue
        if found is None:
            found = VacancyShare.objects.create(
                vacancy_id=vacancy_id, agency_id=agency_id, agreement_id=agreement_id, shared_at=now
            )
        else:  # shared again (published anew, or fits again): the same row, a new period
            found.shared_at, found.withdrawn_at, found.withdrawn_reason = now, None, ""
            found.save(update_fields=["shared_at", "withdrawn_at", "withdrawn_reason"])
        shared += 1
        events.append(_shared_event(found, vacancy, agreements[agreement_id]))
    if events:
        # Only ``updated_at`` moves (as ``vacancies.services.vacancy_projects_set`` does): partners syncing
        # with ``GET /vacancies/?updated_since=`` see the vacancy's shares change.
        Vacancy.objects.filter(pk=vacancy_id).update(updated_at=now)
    webhook_events_emit_many(events=events)
    return SyncResult(shared, withdrawn)


def _shared_event(share: VacancyShare, vacancy: Mapping[str, Any], agreement: Agreement) -> EmittedEvent:
    return EmittedEvent(
        organisation_id=share.agency_id,
        event_type=EventType.VACANCY_SHARED,
        data={
            "vacancy": str(vacancy["public_id"]),
            "status": vacancy["status"],
            "agreement": agreement.code,
            "shared_at": share.shared_at.isoformat(),
        },
    )


def _closed_event(
    share: VacancyShare, vacancy: Mapping[str, Any], agreement: Agreement | None
) -> EmittedEvent:
    return EmittedEvent(
        organisation_id=share.agency_id,
        event_type=EventType.VACANCY_CLOSED,
        data={
            "vacancy": str(vacancy["public_id"]),
            "status": vacancy["status"],
            "agreement": agreement.code if agreement is not None else "",
            "reason": share.withdrawn_reason,
            "withdrawn_at": share.withdrawn_at.isoformat() if share.withdrawn_at else None,
        },
    )


VACANCY_DELETED = "vacancy_deleted"  # the reason and status of a ``vacancy.closed`` sent for a deletion


@transaction.atomic
def vacancy_delete_telling_agencies(vacancy: Vacancy) -> int:
    """Delete a vacancy (``vacancies.services.vacancy_delete``) after telling each agency it is shared with
    that it is closed (``vacancy.closed``, reason and status ``vacancy_deleted``), in the same transaction:
    its shares go with it (CASCADE), so no later sync could tell them. Returns how many were told.

    The vacancy's delete paths call this (the admin's: ``agreements.admin``); ``vacancies`` sits below
    this app and may not call it itself."""
    locked = (
        Vacancy.objects.select_for_update(of=("self",))
        .filter(pk=vacancy.pk)
        .values_list("public_id", flat=True)
        .first()
    )
    if locked is None:
        return 0
    row = {"public_id": locked, "status": VACANCY_DELETED}
    now = timezone.now()
    events: list[EmittedEvent] = []
    open_shares = VacancyShare.objects.filter(vacancy_id=vacancy.pk, withdrawn_at__isnull=True)
    for share in open_shares.select_related("agreement").order_by("pk"):
        share.withdrawn_at, share.withdrawn_reason = now, VACANCY_DELETED  # not saved: deleted below
        events.append(_closed_event(share, row, share.agreement))
    webhook_events_emit_many(events=events)
    vacancy_delete(vacancy)
    return len(events)


def agreement_vacancy_ids(agreement: Agreement, *, day: datetime.date) -> list[int]:
    """The vacancies an agreement's change may concern: those it shares now, and the published ones
    whose occupation it names or that are on a list of a kind it names (any region: the region rule is
    the sync's). A superset is harmless: syncing a vacancy that does not fit writes nothing."""
    # Any list of a named kind, whatever its period or region: a superset, narrowed by the sync.
    on_named_lists = ShortageListOccupation.objects.filter(
        occupation_id=OuterRef("occupation_id"),
        entry__shortage_list__kind__in=agreement.shortage_list_kinds or ["-"],
    )
    candidates = Vacancy.objects.open().filter(
        Q(occupation_id__in=agreement.occupations.values("pk")) | Q(Exists(on_named_lists))
    )
    shared = VacancyShare.objects.filter(agreement=agreement, withdrawn_at__isnull=True)
    ids = set(candidates.values_list("pk", flat=True)) | set(shared.values_list("vacancy_id", flat=True))
    return sorted(ids)


def agreement_shares_sync(agreement_id: int, *, day: datetime.date | None = None) -> SyncResult:
    """Re-sync every vacancy an agreement may concern, each in a transaction of its own (a long list
    never holds many row locks at once). Idempotent like ``vacancy_shares_sync``."""
    day = day or timezone.localdate()
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is None:
        return SyncResult()
    shared = withdrawn = 0
    for vacancy_id in agreement_vacancy_ids(agreement, day=day):
        result = vacancy_shares_sync(vacancy_id, day=day)
        shared, withdrawn = shared + result.shared, withdrawn + result.withdrawn
    return SyncResult(shared, withdrawn)


def agreements_sync_all(*, day: datetime.date | None = None) -> SyncResult:
    """Re-sync every vacancy any agreement may concern (the daily beat task): an agreement whose period
    started today shares, one that ended yesterday withdraws, and anything a lost message left behind
    heals.

    Each vacancy once, however many agreements concern it (its sync weighs every agreement in force). A
    vacancy whose recompute ran today (``matched_on``) is skipped: that recompute synced it for today, in
    its transaction (the daily pass re-evaluates every matchable vacancy each day); any change since
    queued another recompute."""
    day = day or timezone.localdate()
    vacancy_ids: set[int] = set()
    for agreement in Agreement.objects.order_by("pk"):
        vacancy_ids.update(agreement_vacancy_ids(agreement, day=day))
    synced_today = set(
        Vacancy.objects.filter(pk__in=vacancy_ids, matched_on=day).values_list("pk", flat=True)
    )
    shared = withdrawn = 0
    for vacancy_id in sorted(vacancy_ids - synced_today):
        result = vacancy_shares_sync(vacancy_id, day=day)
        shared, withdrawn = shared + result.shared, withdrawn + result.withdrawn
    return SyncResult(shared, withdrawn)


# --- Managing agreements (staff of the public employment service) -----------------------------------


def _validate(
    fields: dict[str, Any], agencies: Iterable[Organisation], occupations: Iterable[EscoOccupation]
) -> None:
    """The agreement's rules, each error under its field with a code (a form shows them as they are)."""
    errors: dict[str, list[ValidationError]] = {}
    if fields.get("code") == RESERVED_CODE:  # the address of the "new agreement" page
        errors["code"] = [ValidationError(_("This code is reserved; choose another."), code="reserved")]
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(
            ValidationError(_("An agreement cannot end before it starts."), code="period_reversed")
        )
    if not list(occupations) and not fields.get("shortage_list_kinds"):
        errors.setdefault("occupations", []).append(
            ValidationError(
                _("Name at least one occupation or one kind of shortage list: otherwise nothing fits."),
                code="nothing_fits",
            )
        )
    agencies = list(agencies)
    if not agencies:
        errors.setdefault("agencies", []).append(
            ValidationError(_("Name at least one partner agency to share with."), code="no_agency")
        )
    for agency in agencies:
        if agency.kind not in Organisation.PARTNER_KINDS:
            errors.setdefault("agencies", []).append(
                ValidationError(
                    _("%(name)s is not a partner organisation."), code="not_partner", params={"name": agency}
                )
            )
    for name, allowed in (
        ("shortage_list_kinds", ShortageList.Kind.values),
        ("vacancy_kinds", Vacancy.Kind.values),
        ("regions", Region.values),
    ):
        unknown = sorted(set(fields.get(name) or []) - set(allowed))
        if unknown:
            errors.setdefault(name, []).append(
                ValidationError(_("Unknown value: %(values)s."), code="unknown", params={"values": unknown})
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_save(
    *,
    agreement: Agreement | None = None,
    agencies: Iterable[Organisation],
    occupations: Iterable[EscoOccupation],
    **fields: Any,
) -> Agreement:
    """Create (``agreement`` None) or change an agreement, validated, and queue the re-sync of the
    vacancies it concerns after commit. Raises ``ValidationError`` (per field, with codes); nothing is
    written then."""
    agencies, occupations = list(agencies), list(occupations)
    _validate(fields, agencies, occupations)
    agreement = agreement or Agreement()
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    agreement.agencies.set(agencies)
    agreement.occupations.set(occupations)
    queue_task_after_commit(SYNC_AGREEMENT_TASK, agreement.pk)
    return agreement
