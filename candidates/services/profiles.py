"""Create, update, upsert and withdraw candidates' whole profiles (the partner API, imports).

A profile is the candidate's own fields plus what hangs from them: languages, diplomas with their
recognition steps, work experience, skills, licences, training enrolments and consents. ``ProfileInput``
says what to set; a collection left ``None`` stays as it is, a given one replaces the current one
(consents excepted: they are never deleted, see ``candidates.services.consents``).

Rules every write here follows:

- **All or nothing, per candidate.** Everything is validated first, field by field (``full_clean``
  without uniqueness and constraints, and without reading again a reference the caller already read;
  each distinct value of a field checked once per write, ``candidates.services.field_memo``), and
  written in one transaction. A database constraint that still fails (a check constraint, or a
  concurrent write) rolls the profile back and is reported against the row at fault. Errors are one
  ``ValidationError`` whose keys are paths: ``languages.0.reading``.
- **Versioned.** A write that changes anything bumps ``profile_version`` and queues the candidate's
  match recompute after commit (``candidates.services.versions``); a write that changes nothing writes
  nothing and bumps nothing, so a partner re-sending its data is cheap and leaves matches alone.
- **Scoped.** The registering organisation is set here, never taken from input; projects, cohorts and
  programmes must be ones that organisation takes part in (a PES may register into any project).
- **Set-based.** One candidate and a hundred (``candidates_upsert``, the bulk endpoint) go through the
  same code: what the plans compare with is read in one query per table for all of them (as plain
  values, not model instances), and what they change is written with one statement per table
  (``candidates.services.profile_rows``, ``candidates.services.inserts``), so a request
  costs a fixed number of queries whatever its number of candidates. Each candidate still succeeds or
  fails on its own: when a database constraint refuses a batch, the batch is rolled back and written
  again one candidate at a time, so that only the one at fault is refused. The changed candidates'
  recompute is queued once for the batch.
"""

import dataclasses
import datetime
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, Diploma, RecognitionStep, TrainingEnrolment
from candidates.services.consents import consents_plan
from candidates.services.errors import ProfileErrors
from candidates.services.field_memo import FieldMemo
from candidates.services.profile_rows import (
    COLLECTIONS,
    PARTS,
    PROFILE_FIELDS,
    Collection,
    DiplomaRows,
    Plan,
    Stored,
    StoredDiplomas,
    StoredRow,
    compared_fields,
    plan_forget_writes,
    plans_write,
    stored_read,
)
from candidates.services.restriction import restricted_candidate_withdraw
from candidates.services.versions import candidate_profiles_changed, candidate_save
from core.models import Organisation
from reference.models import EscoOccupation

__all__ = [
    "PROFILE_FIELDS",
    "UPDATABLE_STATUSES",
    "ChangeResult",
    "ProfileInput",
    "candidate_create",
    "candidate_update",
    "candidate_upsert",
    "candidate_withdraw",
    "candidates_upsert",
]

UPDATABLE_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)


class ChangeResult(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ProfileInput:
    """What to set. ``fields``: candidate fields by model name (see ``PROFILE_FIELDS``); each collection
    is a list of rows by model field name, or None to leave it as it is. A diploma row may hold
    ``recognition_steps`` (a list of ``RecognitionStep`` rows)."""

    fields: Mapping[str, Any] = field(default_factory=dict)
    desired_occupations: Sequence[EscoOccupation] | None = None
    languages: Sequence[Mapping[str, Any]] | None = None
    diplomas: Sequence[Mapping[str, Any]] | None = None
    work_experience: Sequence[Mapping[str, Any]] | None = None
    skills: Sequence[Mapping[str, Any]] | None = None
    licences: Sequence[Mapping[str, Any]] | None = None
    training: Sequence[Mapping[str, Any]] | None = None
    consents: Sequence[Mapping[str, Any]] | None = None

    def parts(self) -> frozenset[str]:
        """The parts besides the candidate's own fields that this profile gives (replaces)."""
        return frozenset(part for part in PARTS if getattr(self, part) is not None)


@dataclass(frozen=True)
class _Entry:
    """One profile to plan: the candidate (its current row, locked, or a new unsaved one) and what to set.
    ``reset_missing``: fields absent from the profile go back to their defaults (a PUT)."""

    candidate: Candidate
    profile: ProfileInput
    reset_missing: bool

    @property
    def external_id(self) -> str:
        return str(self.profile.fields.get("external_id", self.candidate.external_id))


def _row_values(
    instance: models.Model, skip: tuple[str, ...], memo: FieldMemo
) -> tuple[tuple[str, Any], ...]:
    """The stored values of a row, for "did anything change?": every column but the keys (``skip``)."""
    return tuple(
        (f.attname, memo.stored_form(f, getattr(instance, f.attname)))
        for f in compared_fields(type(instance), skip)
    )


def _stored_values(
    model: type[models.Model], skip: tuple[str, ...], row: StoredRow, memo: FieldMemo
) -> tuple[tuple[str, Any], ...]:
    """``_row_values`` of a row ``stored_read`` read."""
    fields = compared_fields(model, skip)
    return tuple((f.attname, memo.stored_form(f, value)) for f, value in zip(fields, row, strict=True))


def _fingerprint(rows: Iterable[Hashable]) -> Counter[Hashable]:
    """Rows as a multiset: the same rows in any order compare equal (a list's order is not stored)."""
    return Counter(rows)


def _diplomas_fingerprint(pairs: Iterable[tuple[Hashable, Iterable[Hashable]]]) -> Counter[Hashable]:
    """``_fingerprint`` of diplomas, each with the multiset of its recognition steps."""
    return _fingerprint((diploma, frozenset(_fingerprint(steps).items())) for diploma, steps in pairs)


def _check_scope(candidate: Candidate, allowed: frozenset[int] | None, errors: ProfileErrors) -> None:
    """Projects and cohorts of the registering organisation only (``allowed``: its projects; None for a
    PES, which registers into any project)."""
    if candidate.project_id is not None and allowed is not None and candidate.project_id not in allowed:
        errors.add("project", _("Your organisation does not take part in this project."))


def _plan_fields(
    entry: _Entry, stored: Stored, claimed: set[tuple[int, str]], errors: ProfileErrors
) -> tuple[str, ...]:
    """Set and validate the candidate's own fields; returns the names of those whose stored value
    changes."""
    candidate, profile = entry.candidate, entry.profile
    unknown = set(profile.fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    adding = candidate.pk is None
    # A new candidate is written whole anyway.
    before = () if adding else _row_values(candidate, (), errors.memo)
    values = dict(profile.fields)
    if entry.reset_missing:
        for name in PROFILE_FIELDS:
            if name not in values and name != "external_id":
                model_field = Candidate._meta.get_field(name)
                values[name] = model_field.get_default()  # type: ignore[union-attr]
    for name, value in values.items():
        setattr(candidate, name, value)
    errors.full_clean("", candidate)
    _check_scope(candidate, stored.partner_projects[candidate.registered_by_id], errors)
    key = (candidate.registered_by_id, candidate.external_id)
    # Taken by another candidate, or by an earlier new candidate of the same write.
    if candidate.external_id and (stored.taken.get(key, candidate.pk) != candidate.pk or key in claimed):
        errors.add(
            "external_id",
            ValidationError(
                _("Your organisation already registered a candidate with this id."), code="unique"
            ),
        )
    if adding:
        return ()
    after = _row_values(candidate, (), errors.memo)
    changed = {attname for (attname, value), (_name, was) in zip(after, before, strict=True) if value != was}
    return tuple(f.name for f in Candidate._meta.concrete_fields if f.attname in changed)


def _plan_rows(
    candidate: Candidate,
    collection: Collection,
    rows: Sequence[Mapping[str, Any]],
    current: Sequence[StoredRow],
    errors: ProfileErrors,
) -> list[models.Model] | None:
    """Validated new rows of one collection, or None when they equal the ``current`` ones."""
    built: list[models.Model] = []
    seen: dict[tuple[Any, ...], int] = {}
    for index, row in enumerate(rows):
        # Without its candidate: ``plans_write`` sets it once the candidate has its id (an assignment
        # costs as much as building the rest of the row).
        instance = collection.model(**row)
        path = f"{collection.name}.{index}"
        errors.full_clean(path, instance, exclude=["candidate"])
        if collection.unique_by:
            key = tuple(
                getattr(instance, f"{name}_id", None) or getattr(instance, name)
                for name in collection.unique_by
            )
            if key in seen:
                errors.add(
                    f"{path}.{collection.unique_by[0]}",
                    ValidationError(
                        _("The same as item %(index)d of this list."),
                        code="duplicate",
                        params={"index": seen[key]},
                    ),
                )
            seen[key] = index
        built.append(instance)
    if candidate.pk is not None:
        model, memo = collection.model, errors.memo
        if _fingerprint(_stored_values(model, ("candidate",), r, memo) for r in current) == _fingerprint(
            _row_values(r, ("candidate",), memo) for r in built
        ):
            return None
    elif not built:
        return None
    return built


def _plan_training_scope(
    rows: Sequence[models.Model], allowed: frozenset[int] | None, errors: ProfileErrors
) -> None:
    """A programme of a project the registering organisation takes part in (any, for a PES)."""
    if allowed is None:
        return
    for index, row in enumerate(rows):
        assert isinstance(row, TrainingEnrolment)
        if row.programme_id is not None and row.programme.project_id not in allowed:
            errors.add(f"training.{index}.programme", _("This programme is not one of your projects."))


def _plan_diplomas(
    candidate: Candidate, rows: Sequence[Mapping[str, Any]], current: StoredDiplomas, errors: ProfileErrors
) -> DiplomaRows | None:
    built: DiplomaRows = []
    for index, row in enumerate(rows):
        values = dict(row)
        steps_rows = values.pop("recognition_steps", [])
        diploma = Diploma(**values)  # the candidate and the steps' diploma: set by ``plans_write``
        path = f"diplomas.{index}"
        errors.full_clean(path, diploma, exclude=["candidate"])
        steps = []
        for step_index, step_row in enumerate(steps_rows):
            step = RecognitionStep(**step_row)
            errors.full_clean(f"{path}.recognition_steps.{step_index}", step, exclude=["diploma"])
            steps.append(step)
        built.append((diploma, steps))

    if candidate.pk is not None:
        memo = errors.memo
        stored = _diplomas_fingerprint(
            (
                _stored_values(Diploma, ("candidate",), d, memo),
                (_stored_values(RecognitionStep, ("diploma",), s, memo) for s in steps),
            )
            for d, steps in current
        )
        new = _diplomas_fingerprint(
            (_row_values(d, ("candidate",), memo), (_row_values(s, ("diploma",), memo) for s in steps))
            for d, steps in built
        )
        if stored == new:
            return None
    elif not built:
        return None
    return built


def _plan(entry: _Entry, stored: Stored, claimed: set[tuple[int, str]], memo: FieldMemo) -> Plan:
    """Validate one profile against what is stored and plan its write; raises its ``ValidationError``.
    ``memo``: shared by the profiles of the write."""
    candidate, profile = entry.candidate, entry.profile
    adding = candidate.pk is None
    if not adding and candidate.status == Candidate.Status.RESTRICTED:
        # GDPR art. 18: stored, not processed, not even by its partner, until staff lift the restriction.
        raise ValidationError(
            {
                "": [
                    ValidationError(
                        _("This candidate's data is restricted: it cannot be changed."), code="restricted"
                    )
                ]
            }
        )
    if not adding and candidate.status not in UPDATABLE_STATUSES:
        raise ValidationError(
            {"": [ValidationError(_("A withdrawn candidate cannot be changed."), code="withdrawn")]}
        )
    errors = ProfileErrors(memo)
    plan = Plan(candidate=candidate, adding=adding)
    plan.fields_changed = _plan_fields(entry, stored, claimed, errors)
    if profile.desired_occupations is not None:
        wanted = sorted({o.pk for o in profile.desired_occupations})
        current = [] if adding else sorted(stored.occupations.get(candidate.pk, []))
        plan.occupations = wanted if wanted != current else None
    for collection in COLLECTIONS:
        rows = getattr(profile, collection.name)
        if rows is None:
            continue
        current_rows = stored.rows.get(collection.name, {}).get(candidate.pk, [])
        built = _plan_rows(candidate, collection, rows, current_rows, errors)
        if collection.name == "training":
            _plan_training_scope(built or [], stored.partner_projects[candidate.registered_by_id], errors)
        if built is not None:
            plan.rows[collection.name] = built
    if profile.diplomas is not None:
        current_diplomas = stored.diplomas.get(candidate.pk, [])
        plan.diplomas = _plan_diplomas(candidate, profile.diplomas, current_diplomas, errors)
    if profile.consents is not None:
        plan.consents = consents_plan(
            candidate,
            profile.consents,
            open_consents=stored.open_consents.get(candidate.pk, []),
            errors=errors,
        )
    errors.raise_if_any()
    claimed.add((candidate.registered_by_id, candidate.external_id))
    return plan


def _constraint_errors(plan: Plan) -> dict[str, list[Any]]:
    """After an ``IntegrityError``: which row breaks which constraint, found with Django's own checks
    (one small query per constraint, so only on this slow path)."""
    errors = ProfileErrors()

    def check(path: str, instance: models.Model, exclude: list[str]) -> None:
        try:
            instance.validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors.add_django(path, exc)

    check("", plan.candidate, [])
    for name, rows in plan.rows.items():
        for index, row in enumerate(rows):
            check(f"{name}.{index}", row, ["candidate"])
    for index, (diploma, steps) in enumerate(plan.diplomas or []):
        check(f"diplomas.{index}", diploma, ["candidate"])
        for step_index, step in enumerate(steps):
            check(f"diplomas.{index}.recognition_steps.{step_index}", step, ["diploma"])
    if plan.consents is not None:
        for index, consent in plan.consents.created_with_index:
            check(f"consents.{index}", consent, ["candidate"])
    return errors.by_path


def _run(plans: Sequence[Plan]) -> dict[int, ValidationError]:
    """Write ``plans`` in one savepoint; returns the errors of the plans not written, by position.

    A database constraint that refuses the write (a check constraint, a concurrent write) rolls it all
    back; then each plan is written on its own, so that only the one at fault is refused, reported
    against the row at fault (or as a conflict to send again, when no constraint of ours explains it).
    """
    if not plans:
        return {}
    try:
        with transaction.atomic():
            plans_write(plans)
        return {}
    except IntegrityError:
        for plan in plans:
            plan_forget_writes(plan)
    if len(plans) == 1:
        errors = _constraint_errors(plans[0])
        conflict = ValidationError(_("The profile changed meanwhile; send it again."), code="conflict")
        return {0: ValidationError(errors or {"": [conflict]})}
    failed: dict[int, ValidationError] = {}
    for position, plan in enumerate(plans):
        if 0 in (alone := _run([plan])):
            failed[position] = alone[0]
    return failed


def _profiles_write(entries: Sequence[_Entry]) -> list[Plan | ValidationError]:
    """Plan and write the profiles of ``entries`` in the caller's transaction (existing candidates
    locked by the caller); one outcome per entry, in order: its plan, or why nothing of it was written.

    The changed candidates are marked stale and their recompute queued once, for all of them.
    """
    stored = stored_read([(e.candidate, e.external_id, e.profile.parts()) for e in entries])
    claimed: set[tuple[int, str]] = set()
    memo = FieldMemo()
    outcomes: list[Plan | ValidationError] = []
    for entry in entries:
        try:
            outcomes.append(_plan(entry, stored, claimed, memo))
        except ValidationError as exc:
            outcomes.append(exc)
    changed = [(index, o) for index, o in enumerate(outcomes) if isinstance(o, Plan) and o.changed]
    # Written in external id order: two requests creating some of the same candidates take their
    # unique keys in the same order, so one waits for the other instead of both deadlocking.
    changed.sort(key=lambda pair: pair[1].candidate.external_id)
    failed = _run([plan for _index, plan in changed])
    for position, error in failed.items():
        outcomes[changed[position][0]] = error
    written = [plan for position, (_index, plan) in enumerate(changed) if position not in failed]
    candidate_profiles_changed(
        [plan.candidate.pk for plan in written if not plan.adding],
        new_ids=[plan.candidate.pk for plan in written if plan.adding],
    )
    return outcomes


def _one(entry: _Entry) -> Plan:
    """One profile planned and written (the caller's transaction), or its ``ValidationError`` raised."""
    outcome = _profiles_write([entry])[0]
    if isinstance(outcome, ValidationError):
        raise outcome
    return outcome


def candidate_create(*, registered_by: Organisation, profile: ProfileInput) -> Candidate:
    """Register a new candidate with everything ``profile`` gives; queues their first recompute."""
    candidate = Candidate(registered_by=registered_by)
    with transaction.atomic():
        _one(_Entry(candidate, profile, reset_missing=False))
    return candidate


def _locked(candidate: Candidate) -> Candidate:
    """The candidate re-read under a row lock: two writes of one profile never interleave."""
    return Candidate.objects.select_for_update().select_related("registered_by").get(pk=candidate.pk)


def candidate_update(
    *, candidate: Candidate, profile: ProfileInput, reset_missing: bool = False
) -> tuple[Candidate, bool]:
    """Change a candidate's profile; returns it and whether anything changed.

    ``reset_missing``: fields absent from ``profile.fields`` go back to their defaults (a PUT); without
    it they stay as they are (a PATCH). Collections follow ``ProfileInput`` either way.
    """
    with transaction.atomic():
        current = _locked(candidate)
        plan = _one(_Entry(current, profile, reset_missing=reset_missing))
    return current, plan.changed


def candidates_upsert(
    *, registered_by: Organisation, items: Sequence[tuple[str, ProfileInput]], reset_missing: bool = True
) -> list[tuple[Candidate, ChangeResult] | ValidationError]:
    """Create or replace the candidates ``registered_by`` knows by these external ids (the bulk
    endpoint, imports), each on its own: one outcome per item, in order, the candidate and what
    happened to it, or why nothing of that item was written.

    Replaces like a PUT: fields absent from ``profile.fields`` go back to their defaults (unless
    ``reset_missing`` is false: a spreadsheet without a column keeps what is stored). The external
    ids must be distinct (the caller refuses a repeated one). The existing candidates are locked in id
    order, so two concurrent requests naming the same candidates wait for each other, never deadlock.
    """
    external_ids = [external_id for external_id, _profile in items]
    if len(set(external_ids)) != len(external_ids):
        raise ValueError("an external id is repeated")
    with transaction.atomic():
        existing = {
            candidate.external_id: candidate
            for candidate in Candidate.objects.select_for_update(of=("self",))
            .filter(registered_by=registered_by, external_id__in=external_ids)
            .order_by("pk")
        }
        entries = []
        for external_id, profile in items:
            candidate = existing.get(external_id) or Candidate()
            candidate.registered_by = registered_by  # the organisation read once for all of them
            fields = {**profile.fields, "external_id": external_id}
            replacing = candidate.pk is not None
            entries.append(
                _Entry(candidate, dataclasses.replace(profile, fields=fields), replacing and reset_missing)
            )
        outcomes = _profiles_write(entries)
    results: list[tuple[Candidate, ChangeResult] | ValidationError] = []
    for entry, outcome in zip(entries, outcomes, strict=True):
        if isinstance(outcome, ValidationError):
            results.append(outcome)
        elif outcome.adding:
            results.append((entry.candidate, ChangeResult.CREATED))
        else:
            results.append(
                (entry.candidate, ChangeResult.UPDATED if outcome.changed else ChangeResult.UNCHANGED)
            )
    return results


def candidate_upsert(
    *, registered_by: Organisation, external_id: str, profile: ProfileInput
) -> tuple[Candidate, ChangeResult]:
    """Create or replace the candidate ``registered_by`` knows as ``external_id`` (``candidates_upsert``
    of one); raises its ``ValidationError``."""
    outcome = candidates_upsert(registered_by=registered_by, items=[(external_id, profile)])[0]
    if isinstance(outcome, ValidationError):
        raise outcome
    return outcome


def candidate_withdraw(*, candidate: Candidate, at: datetime.datetime | None = None) -> Candidate:
    """Withdraw a candidate (their own request, through a partner): hidden from every list at once.

    The status hides them from recruiters and employers immediately; the recompute queued here removes
    their stored matches. Nothing is deleted: erasure is a separate, deliberate step. Idempotent.
    """
    with transaction.atomic():
        current = _locked(candidate)
        if current.status == Candidate.Status.WITHDRAWN:
            return current
        # Restricted meanwhile (a partner's read, then staff's restriction, then this): kept restricted,
        # and the lifting goes to withdrawn. Overwriting the status would orphan the open restriction.
        if current.status == Candidate.Status.RESTRICTED and restricted_candidate_withdraw(
            candidate=current, at=at
        ):
            return current
        current.status = Candidate.Status.WITHDRAWN
        current.withdrawn_at = at or timezone.now()
        candidate_save(current)
    return current
