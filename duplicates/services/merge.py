"""Merge two records of one person: every row of both ends on the kept one, in one transaction.

The rows that point at a candidate are found in the model registry (``Candidate._meta``), as the
erasure finds them, so a table added later by any app is moved too without anyone listing it here.
Each table gets one of three treatments:

- **moved** (the default): every row of the merged-away record is re-pointed at the kept one: cases
  with their moves, notes and interviews, consents, correction requests, the access log, costs,
  diplomas, experience, notes, restrictions' history, erasure requests, invitations, ...
- a row that a **unique rule** forbids on the kept record (a second case for the same vacancy; a second
  consent in force for the same purpose and recipient; a second sign-in account) is **left** on the
  merged-away row, unchanged: both histories survive, and the merge record says how many were left.
  Which rule applies is read from the table's unique constraints, not written here.
- ``DEDUPLICATED`` tables hold facts, not history: a row repeating one the kept record already has (the
  same language, skill, licence, desired occupation, information page read, funnel step, reminder) is
  **dropped**; the kept record's own wins (the person chose which record to keep).
- ``NOT_MOVED`` tables are the recompute's own bookkeeping about the merged-away record (its matches,
  match removals, jobs): the recompute deletes its matches (recording the removals for its partner) once
  the row is anonymised, and recomputes the kept candidate's from the merged profile. The funnel steps
  kept for funders stay too: before anything moves, the steps the merged-away record reached (through its
  cases, completed programmes, eligible matches) are retained on it, as an erasure retains them, so its
  project's funnel counts do not drop when its cases move to a record of another project. This app's own
  pairs and merges are handled below.

The merged-away row then stays, anonymised like an erasure's (name, contact, date of birth, ... blanked;
its ids kept), status ``anonymised``: out of matching and every list, in its partner's feed of removed
candidates. ``CandidateMerge`` keeps its ids (public id, the partner's reference, the partner), so the
merge can be found from either. Both candidates' matches are marked stale. Each registering agency is
told (``candidate.merged``, ids only), each learning only its own reference.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidate_space.models import CandidateAccount, CandidateInvitation
from candidates.models import Candidate, Consent
from candidates.services import candidate_profile_changed
from candidates.services.anonymous import candidate_fields_anonymise
from core.models import User
from duplicates.models import MERGEABLE, CandidateMerge, DuplicatePair
from recruitment.models import Placement
from recruitment.services.funnel_retention import funnel_steps_retain
from webhooks.events import EmittedEvent, EventType
from webhooks.services.emit import webhook_events_emit_many

CANDIDATE_MERGED = EventType.CANDIDATE_MERGED.value

DEDUPLICATED = frozenset(
    {
        "candidates.Candidate_desired_occupations",
        "candidates.LanguageProficiency",
        "candidates.CandidateSkill",
        "candidates.Licence",
        "welcome.ReadReceipt",
        "welcome.PageNotice",
        "privacy.RetentionReminder",
    }
)
NOT_MOVED = frozenset(
    {
        "recruitment.Match",
        "recruitment.MatchRemoval",
        "recruitment.MatchJob",
        # The funders' counts of the merged-away record's project (below): they stay with its row.
        "recruitment.RetainedFunnelStep",
        "duplicates.DuplicatePair",
        "duplicates.CandidateMerge",
    }
)

# The kept record's status after the merge: the most engaged of the two.
STATUS_RANK = {Candidate.Status.PLACED: 3, Candidate.Status.ACTIVE: 2, Candidate.Status.WITHDRAWN: 1}


class MergeRefused(ValidationError):
    """The merge cannot be done as asked; nothing was written. The message is for the user."""


@dataclass
class _Counts:
    rows: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, label: str, what: str, number: int) -> None:
        if number:
            self.rows.setdefault(label, {"moved": 0, "left": 0, "dropped": 0})[what] += number


def candidate_relations() -> list[models.ForeignObjectRel]:
    """Every relation of another table to ``Candidate`` (hidden ones and many-to-many tables included),
    in a stable order."""
    relations = [
        relation
        for relation in Candidate._meta.get_fields(include_hidden=True)
        if isinstance(relation, models.ForeignObjectRel) and relation.field.concrete
    ]
    return sorted(relations, key=lambda relation: (relation.related_model._meta.label, relation.field.name))


def _unique_sets(model: type[models.Model], field_name: str) -> list[tuple[list[str], Q | None]]:
    """The other columns that, with ``field_name``, must be unique (and under which condition)."""
    sets: list[tuple[list[str], Q | None]] = []
    if getattr(model._meta.get_field(field_name), "unique", False):  # a one-to-one: one row at most
        sets.append(([], None))
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append(([name for name in together if name != field_name], None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and field_name in constraint.fields:
            others = [name for name in constraint.fields if name != field_name]
            sets.append((others, constraint.condition))
    return sets


def _conflicts(model: type[models.Model], field_name: str, kept: Candidate, gone: Candidate) -> set[Any]:
    """The merged-away record's rows that the kept record's rows forbid under a unique rule. NULLs never
    collide (as in SQL)."""
    rows = model._base_manager.all()
    found: set[Any] = set()
    for others, condition in _unique_sets(model, field_name):
        kept_rows = rows.filter(**{field_name: kept})
        gone_rows = rows.filter(**{field_name: gone})
        if condition is not None:
            kept_rows, gone_rows = kept_rows.filter(condition), gone_rows.filter(condition)
        taken = set(kept_rows.values_list(*others)) if others else ({()} if kept_rows.exists() else set())
        for pk, *values in gone_rows.values_list("pk", *others):
            if tuple(values) in taken and None not in values:
                found.add(pk)
    return found


def _move_rows(kept: Candidate, gone: Candidate, now: datetime.datetime) -> _Counts:
    counts = _Counts()
    funnel_steps_retain(
        candidate=gone,
        placement_ids=list(Placement.objects.filter(candidate=gone).values_list("pk", flat=True)),
        now=now,
        with_programmes_and_matches=True,
    )
    # Only the newest invitation link works; the merged-away record's open one would sign its
    # person in to an empty record.
    CandidateInvitation.objects.filter(
        candidate=gone, used_at__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=now)
    for relation in candidate_relations():
        model = relation.related_model
        label = model._meta.label
        if label in NOT_MOVED:
            continue
        name = relation.field.name
        conflicts = _conflicts(model, name, kept, gone)
        if conflicts:
            if label in DEDUPLICATED:
                model._base_manager.filter(pk__in=conflicts).delete()
                counts.add(label, "dropped", len(conflicts))
            else:
                counts.add(label, "left", len(conflicts))
        moved = model._base_manager.filter(**{name: gone}).exclude(pk__in=conflicts).update(**{name: kept})
        counts.add(label, "moved", moved)
    # A second account stays with the merged-away row (one account per candidate). Its sign-in user is
    # deleted, as an erasure deletes it (its account row and second-factor devices go with it): nobody
    # signs in to an emptied record, and no personal data (username, e-mail) outlives the record. The
    # kept record's account is the one to use.
    left_users = list(CandidateAccount.objects.filter(candidate=gone).values_list("user_id", flat=True))
    User.objects.filter(pk__in=left_users, role=User.Role.CANDIDATE).delete()
    return counts


def _anonymise(gone: Candidate) -> None:
    """As an erasure anonymises the row (``candidates.services.anonymous``): its ids stay, nothing else."""
    gone.save(update_fields=candidate_fields_anonymise(gone))


def _carry_over_pairs(
    kept: Candidate, gone: Candidate, pair: DuplicatePair | None, now: datetime.datetime
) -> None:
    """The merged-away record's other pairs: open ones go (the next detection compares the kept record
    afresh); a rejected one is carried over to the kept record, so "not the same person" still holds."""
    # Lock them all first (in id order, as every merge does, so two merges cannot deadlock): a rejection
    # of one of them by a colleague must not slip in between this read and the delete below.
    list(
        DuplicatePair.objects.select_for_update()
        .filter(Q(low=gone) | Q(high=gone))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    others = DuplicatePair.objects.filter(Q(low=gone) | Q(high=gone))
    if pair is not None:
        others = others.exclude(pk=pair.pk)
    carried = []
    for low_id, high_id, decided_by_id, decided_at in others.filter(
        status=DuplicatePair.Status.REJECTED
    ).values_list("low_id", "high_id", "decided_by_id", "decided_at"):
        other = high_id if low_id == gone.pk else low_id
        if other == kept.pk:
            continue
        low, high = sorted((kept.pk, other))
        carried.append(
            DuplicatePair(
                low_id=low,
                high_id=high,
                score=0,
                reasons=[],
                status=DuplicatePair.Status.REJECTED,
                detected_at=now,
                decided_by_id=decided_by_id,
                decided_at=decided_at,
            )
        )
    _reject_open(carried)
    DuplicatePair.objects.bulk_create(carried, ignore_conflicts=True)
    # Again after the insert: an open pair the nightly detection inserted meanwhile made the insert skip
    # that row (the unique pair); it is decided too.
    _reject_open(carried)
    others.filter(status=DuplicatePair.Status.OPEN).delete()


def _reject_open(carried: list[DuplicatePair]) -> None:
    """An open pair of the kept record with a person the merged-away one was "not the same as" is
    decided too."""
    for row in carried:
        DuplicatePair.objects.filter(
            low_id=row.low_id, high_id=row.high_id, status=DuplicatePair.Status.OPEN
        ).update(
            status=DuplicatePair.Status.REJECTED, decided_by_id=row.decided_by_id, decided_at=row.decided_at
        )


def _tell_agencies(kept: Candidate, gone: Candidate) -> None:
    """One ``candidate.merged`` event per registering agency, naming only its own record: its public id
    and reference, under ``kept_*`` or ``merged_*`` (whether its record was kept or merged away). The
    other agency's record is not its business (not even its public id); an agency that registered both
    gets both."""
    data: dict[int, dict[str, Any]] = {}
    for candidate, role in ((kept, "kept"), (gone, "merged")):
        event = data.setdefault(candidate.registered_by_id, {})
        event[f"{role}_candidate"] = str(candidate.public_id)
        event[f"{role}_external_id"] = candidate.external_id
    webhook_events_emit_many(
        events=[
            EmittedEvent(organisation_id=organisation_id, event_type=CANDIDATE_MERGED, data=event)
            for organisation_id, event in sorted(data.items())
        ]
    )


def _refuse_open_erasure(kept: Candidate, gone: Candidate) -> None:
    """A person who asked to be erased is not merged meanwhile: the merge would move the rows the
    erasure is to delete onto another record, out of the request's reach. The model is looked up by
    name because this app may not import privacy (the two are independent apps of one layer)."""
    erasure_request = apps.get_model("privacy", "ErasureRequest")
    if erasure_request.objects.filter(
        candidate_id__in=[kept.pk, gone.pk],
        status="requested",  # ErasureRequest.Status.REQUESTED
    ).exists():
        raise MergeRefused(
            _("One of these candidates has asked to be erased: decide on that request first."),
            code="erasure",
        )


def _refuse_across_agencies(kept: Candidate, gone: Candidate) -> None:
    """A merge hands the merged-away record's cases, diplomas and history to the kept record's agency:
    across agencies only when the person consented to share their profile with that agency."""
    if kept.registered_by_id == gone.registered_by_id:
        return
    shared = (
        Consent.objects.in_force()
        .filter(
            candidate=gone, purpose=Consent.Purpose.SHARE_WITH_PARTNER, recipient_id=kept.registered_by_id
        )
        .exists()
    )
    if not shared:
        raise MergeRefused(
            _(
                "These records were registered by two different organisations, and the candidate has not "
                "consented to share their profile with the organisation of the record to keep. Record "
                "that consent first, or keep the other record if it has it."
            ),
            code="other_agency",
        )


def candidates_merge(
    *,
    keep: Candidate,
    merge: Candidate,
    by: User | None,
    pair: DuplicatePair | None = None,
    now: datetime.datetime | None = None,
) -> CandidateMerge:
    """Merge ``merge`` into ``keep`` (see the module's docstring) and return the merge record.

    Locks both candidates (in id order, so two merges of overlapping pairs cannot deadlock) and the pair.
    ``MergeRefused`` (nothing written) when the two are one record, when either is restricted or
    anonymised, when either has an open erasure request, when the records of two organisations are merged
    without the merged-away record's consent to share with the kept record's organisation, or when the
    pair has been decided (or deleted by an overlapping merge) meanwhile.
    """
    now = now or timezone.now()
    if keep.pk == merge.pk:
        raise MergeRefused(_("A record cannot be merged with itself."), code="same")
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Candidate.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk]).order_by("pk")
        }
        kept, gone = locked.get(keep.pk), locked.get(merge.pk)
        if kept is None or gone is None:
            raise MergeRefused(_("One of these candidates no longer exists."), code="gone")
        if pair is not None:
            # Gone when an overlapping merge took one of its records a moment ago (its open pairs go).
            pair = DuplicatePair.objects.select_for_update().filter(pk=pair.pk).first()
            if pair is None or pair.status != DuplicatePair.Status.OPEN:
                raise MergeRefused(_("Someone has already decided on this pair."), code="decided")
            if {pair.low_id, pair.high_id} != {kept.pk, gone.pk}:
                raise MergeRefused(_("Keep one of the two candidates of this pair."), code="not_in_pair")
        if kept.status not in MERGEABLE or gone.status not in MERGEABLE:
            raise MergeRefused(
                _("A restricted or anonymised candidate cannot be merged: lift the restriction first."),
                code="status",
            )
        _refuse_open_erasure(kept, gone)
        _refuse_across_agencies(kept, gone)
        counts = _move_rows(kept, gone, now)
        record = CandidateMerge.objects.create(
            kept=kept,
            merged_away=gone,
            merged_away_public_id=gone.public_id,
            merged_away_external_id=gone.external_id,
            merged_away_registered_by_id=gone.registered_by_id,
            pair=pair,
            by=by,
            at=now,
            counts=counts.rows,
        )
        status = max(kept.status, gone.status, key=lambda s: STATUS_RANK[Candidate.Status(s)])
        if status != kept.status:
            Candidate.objects.filter(pk=kept.pk).update(status=status, updated_at=now)
            kept.status = status
        _tell_agencies(kept, gone)
        _anonymise(gone)
        if pair is not None:
            pair.status, pair.decided_by, pair.decided_at = DuplicatePair.Status.MERGED, by, now
            pair.save(update_fields=["status", "decided_by", "decided_at"])
        _carry_over_pairs(kept, gone, pair, now)
        # The kept profile now holds both records' languages, diplomas, consents...: recompute its matches;
        # the anonymised one's recompute deletes its matches (a removal recorded for its partner).
        candidate_profile_changed(kept.pk)
        candidate_profile_changed(gone.pk)
    return record
