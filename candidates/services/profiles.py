"""Create, update, upsert and withdraw a candidate's whole profile (the partner API, imports).

A profile is the candidate's own fields plus what hangs from them: languages, diplomas with their
recognition steps, work experience, skills, licences, training enrolments and consents. ``ProfileInput``
says what to set; a collection left ``None`` stays as it is, a given one replaces the current one
(consents excepted: they are never deleted, see ``candidates.services.consents``).

Rules every write here follows:

- **All or nothing.** Everything is validated first, field by field (``full_clean`` without database
  queries), and written in one transaction. A database constraint that still fails (a check constraint,
  or a concurrent write) rolls the whole profile back and is reported against the row at fault.
  Errors are one ``ValidationError`` whose keys are paths: ``languages.0.reading``.
- **Versioned.** A write that changes anything bumps ``profile_version`` and queues the candidate's
  match recompute after commit (``candidates.services.versions``); a write that changes nothing writes
  nothing and bumps nothing, so a partner re-sending its data is cheap and leaves matches alone.
- **Scoped.** The registering organisation is set here, never taken from input; projects, cohorts and
  programmes must be ones that organisation takes part in (a PES may register into any project).
"""

import dataclasses
import datetime
import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import (
    Candidate,
    CandidateSkill,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.services.consents import ConsentPlan, consents_apply, consents_plan
from candidates.services.errors import ProfileErrors
from candidates.services.versions import (
    RECOMPUTE_CANDIDATE_TASK,
    candidate_profile_changed,
    candidate_save,
)
from core.jobs import queue_task_after_commit
from core.models import Organisation
from projects.models import ProjectPartner
from reference.models import EscoOccupation

# The candidate's own fields a profile may set. Never: registered_by (set from the caller), status and
# withdrawal (``candidate_withdraw``), the version stamps (the recompute).
PROFILE_FIELDS = (
    "external_id",
    "project",
    "cohort",
    "given_name",
    "family_name",
    "email",
    "phone",
    "preferred_language",
    "date_of_birth",
    "nationalities",
    "country_of_residence",
    "currently_in_belgium",
    "passport_valid_until",
    "available_from",
    "preferred_regions",
    "preferred_sectors",
    "relocating_with_family",
    "accepts_entry_role_during_recognition",
)
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


@dataclass(frozen=True)
class _Collection:
    """A list of rows hanging from the candidate, replaced as a whole when given."""

    name: str  # the ``ProfileInput`` attribute and the first part of an error path
    model: type[models.Model]
    related_name: str
    unique_by: tuple[str, ...]  # no two rows of one candidate share these values


COLLECTIONS = (
    _Collection("languages", LanguageProficiency, "languages", ("language",)),
    _Collection("work_experience", WorkExperience, "experiences", ()),
    _Collection("skills", CandidateSkill, "skills", ("skill",)),
    _Collection("licences", Licence, "licences", ("kind", "issuing_country")),
    _Collection("training", TrainingEnrolment, "enrolments", ("programme",)),
)


def _stored_form(field: "models.Field[Any, Any]", value: Any) -> Any:
    """``value`` as the database gives it back, so that the same data sent again compares equal.

    A row built from input holds what it was given: a default left out is a choices enum member (read
    back, a plain string), a decimal 1 is stored as 1.00, a date may be text, a datetime may be in
    another zone. Rows are compared through ``repr`` (so they sort and compare as lists): compared raw,
    an identical resend would count as a change, bump the profile version and queue a recompute.
    """
    try:
        value = field.to_python(value)
        if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    except (ValidationError, InvalidOperation):
        return value  # not a valid value: full_clean reports it and nothing is written
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = value.astimezone(datetime.UTC)
    if isinstance(field, models.JSONField):
        value = json.dumps(value, sort_keys=True)  # jsonb keeps no key order
    return value


def _row_values(instance: models.Model, skip: Iterable[str]) -> tuple[tuple[str, Any], ...]:
    """The stored values of a row, for "did anything change?": every column but the keys."""
    skipped = set(skip)
    return tuple(
        (f.attname, _stored_form(f, getattr(instance, f.attname)))
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in skipped
    )


def _fingerprint(rows: Iterable[tuple[Any, ...]]) -> list[str]:
    return sorted(repr(row) for row in rows)


@dataclass
class _Plan:
    """Everything validated and ready to write, and whether each part changes anything."""

    candidate: Candidate
    adding: bool
    fields_changed: bool = False
    occupations: list[int] | None = None
    rows: dict[str, list[models.Model]] = field(default_factory=dict)
    diplomas: list[tuple[Diploma, list[RecognitionStep]]] | None = None
    consents: ConsentPlan | None = None

    @property
    def changed(self) -> bool:
        return (
            self.adding
            or self.fields_changed
            or self.occupations is not None
            or bool(self.rows)
            or self.diplomas is not None
            or (self.consents is not None and self.consents.changed)
        )


def _check_scope(candidate: Candidate, errors: ProfileErrors) -> None:
    """Projects and cohorts of the registering organisation only (a PES registers into any project)."""
    organisation = candidate.registered_by
    if candidate.project_id is None or organisation.kind == Organisation.Kind.PES:
        return
    if not ProjectPartner.objects.filter(project_id=candidate.project_id, organisation=organisation).exists():
        errors.add("project", _("Your organisation does not take part in this project."))


def _plan_fields(
    candidate: Candidate, profile: ProfileInput, *, reset_missing: bool, errors: ProfileErrors
) -> bool:
    unknown = set(profile.fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    before = _row_values(candidate, ())
    values = dict(profile.fields)
    if reset_missing:
        for name in PROFILE_FIELDS:
            if name not in values and name != "external_id":
                model_field = Candidate._meta.get_field(name)
                values[name] = model_field.get_default()  # type: ignore[union-attr]
    for name, value in values.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.add_django("", exc)
    _check_scope(candidate, errors)
    if (
        candidate.external_id
        and Candidate.objects.filter(registered_by=candidate.registered_by, external_id=candidate.external_id)
        .exclude(pk=candidate.pk)
        .exists()
    ):
        errors.add(
            "external_id",
            ValidationError(
                _("Your organisation already registered a candidate with this id."), code="unique"
            ),
        )
    return _row_values(candidate, ()) != before


def _plan_rows(
    candidate: Candidate, collection: _Collection, rows: Sequence[Mapping[str, Any]], errors: ProfileErrors
) -> list[models.Model] | None:
    """Validated new rows of one collection, or None when they equal the current ones."""
    built: list[models.Model] = []
    seen: dict[tuple[Any, ...], int] = {}
    for index, row in enumerate(rows):
        instance = collection.model(candidate=candidate, **row)
        path = f"{collection.name}.{index}"
        try:
            instance.full_clean(exclude=["candidate"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.add_django(path, exc)
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
        current = getattr(candidate, collection.related_name).all()
        if _fingerprint(_row_values(r, ("candidate",)) for r in current) == _fingerprint(
            _row_values(r, ("candidate",)) for r in built
        ):
            return None
    elif not built:
        return None
    return built


def _plan_training_scope(candidate: Candidate, rows: Sequence[models.Model], errors: ProfileErrors) -> None:
    """A programme of a project the registering organisation takes part in (any, for a PES)."""
    organisation = candidate.registered_by
    if organisation.kind == Organisation.Kind.PES:
        return
    allowed = set(
        ProjectPartner.objects.filter(organisation=organisation).values_list("project_id", flat=True)
    )
    for index, row in enumerate(rows):
        assert isinstance(row, TrainingEnrolment)
        if row.programme_id is not None and row.programme.project_id not in allowed:
            errors.add(f"training.{index}.programme", _("This programme is not one of your projects."))


def _plan_diplomas(
    candidate: Candidate, rows: Sequence[Mapping[str, Any]], errors: ProfileErrors
) -> list[tuple[Diploma, list[RecognitionStep]]] | None:
    built: list[tuple[Diploma, list[RecognitionStep]]] = []
    for index, row in enumerate(rows):
        values = dict(row)
        steps_rows = values.pop("recognition_steps", [])
        diploma = Diploma(candidate=candidate, **values)
        path = f"diplomas.{index}"
        try:
            diploma.full_clean(exclude=["candidate"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.add_django(path, exc)
        steps = []
        for step_index, step_row in enumerate(steps_rows):
            step = RecognitionStep(diploma=diploma, **step_row)
            try:
                step.full_clean(exclude=["diploma"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors.add_django(f"{path}.recognition_steps.{step_index}", exc)
            steps.append(step)
        built.append((diploma, steps))

    def fingerprint(pairs: Iterable[tuple[Diploma, Iterable[RecognitionStep]]]) -> list[str]:
        return _fingerprint(
            (_row_values(d, ("candidate",)), tuple(_fingerprint(_row_values(s, ("diploma",)) for s in steps)))
            for d, steps in pairs
        )

    if candidate.pk is not None:
        current = [(d, list(d.recognition_steps.all())) for d in candidate.diplomas.all()]
        if fingerprint(current) == fingerprint(built):
            return None
    elif not built:
        return None
    return built


def _plan(candidate: Candidate, profile: ProfileInput, *, adding: bool, reset_missing: bool) -> _Plan:
    errors = ProfileErrors()
    plan = _Plan(candidate=candidate, adding=adding)
    plan.fields_changed = _plan_fields(candidate, profile, reset_missing=reset_missing, errors=errors)
    if profile.desired_occupations is not None:
        wanted = sorted({o.pk for o in profile.desired_occupations})
        current = [] if adding else sorted(candidate.desired_occupations.values_list("pk", flat=True))
        plan.occupations = wanted if wanted != current else None
    for collection in COLLECTIONS:
        rows = getattr(profile, collection.name)
        if rows is None:
            continue
        built = _plan_rows(candidate, collection, rows, errors)
        if collection.name == "training":
            _plan_training_scope(candidate, built or [], errors)
        if built is not None:
            plan.rows[collection.name] = built
    if profile.diplomas is not None:
        plan.diplomas = _plan_diplomas(candidate, profile.diplomas, errors)
    if profile.consents is not None:
        plan.consents = consents_plan(candidate, profile.consents, errors=errors)
    errors.raise_if_any()
    return plan


def _constraint_errors(plan: _Plan) -> dict[str, list[Any]]:
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


def _write(plan: _Plan) -> None:
    candidate = plan.candidate
    # Related rows first need the candidate's row; the version bump comes last (candidate_save).
    if plan.adding:
        candidate.save()
    elif plan.fields_changed:
        candidate_save(candidate, mark_stale=False)
    if plan.occupations is not None:
        candidate.desired_occupations.set(plan.occupations)
    for collection in COLLECTIONS:
        rows = plan.rows.get(collection.name)
        if rows is None:
            continue
        getattr(candidate, collection.related_name).all().delete()
        for row in rows:
            row.candidate = candidate  # type: ignore[attr-defined]
        collection.model._default_manager.bulk_create(rows)
    if plan.diplomas is not None:
        candidate.diplomas.all().delete()  # recognition steps go with them (CASCADE)
        for diploma, steps in plan.diplomas:
            diploma.candidate = candidate
            diploma.save()
            for step in steps:
                step.diploma = diploma
            RecognitionStep.objects.bulk_create(steps)
    if plan.consents is not None:
        consents_apply(candidate, plan.consents)


def _run(plan: _Plan) -> None:
    """Write the plan in one transaction and mark the candidate stale, or report what broke."""
    try:
        with transaction.atomic():
            _write(plan)
            if plan.adding:
                # A new candidate starts stale (profile version 1, matched version 0).
                queue_task_after_commit(RECOMPUTE_CANDIDATE_TASK, plan.candidate.pk)
            else:
                if not plan.fields_changed:  # ``updated_at`` covers what hangs from the candidate too
                    Candidate.objects.filter(pk=plan.candidate.pk).update(updated_at=timezone.now())
                candidate_profile_changed(plan.candidate.pk)
    except IntegrityError:
        if plan.adding:
            plan.candidate.pk = None
            plan.candidate._state.adding = True
        errors = _constraint_errors(plan)
        raise ValidationError(
            errors
            or {"": [ValidationError(_("The profile changed meanwhile; send it again."), code="conflict")]}
        ) from None


def candidate_create(*, registered_by: Organisation, profile: ProfileInput) -> Candidate:
    """Register a new candidate with everything ``profile`` gives; queues their first recompute."""
    candidate = Candidate(registered_by=registered_by)
    plan = _plan(candidate, profile, adding=True, reset_missing=False)
    _run(plan)
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
        if current.status not in UPDATABLE_STATUSES:
            raise ValidationError(
                {"": [ValidationError(_("A withdrawn candidate cannot be changed."), code="withdrawn")]}
            )
        plan = _plan(current, profile, adding=False, reset_missing=reset_missing)
        if plan.changed:
            _run(plan)
    return current, plan.changed


def candidate_upsert(
    *, registered_by: Organisation, external_id: str, profile: ProfileInput
) -> tuple[Candidate, ChangeResult]:
    """Create or replace the candidate ``registered_by`` knows as ``external_id`` (bulk imports).

    Replaces like a PUT: fields absent from ``profile.fields`` go back to their defaults.
    """
    fields = {**profile.fields, "external_id": external_id}
    profile = dataclasses.replace(profile, fields=fields)
    existing = Candidate.objects.filter(registered_by=registered_by, external_id=external_id).first()
    if existing is None:
        return candidate_create(registered_by=registered_by, profile=profile), ChangeResult.CREATED
    candidate, changed = candidate_update(candidate=existing, profile=profile, reset_missing=True)
    return candidate, ChangeResult.UPDATED if changed else ChangeResult.UNCHANGED


def candidate_withdraw(*, candidate: Candidate, at: datetime.datetime | None = None) -> Candidate:
    """Withdraw a candidate (their own request, through a partner): hidden from every list at once.

    The status hides them from recruiters and employers immediately; the recompute queued here removes
    their stored matches. Nothing is deleted: erasure is a separate, deliberate step. Idempotent.
    """
    with transaction.atomic():
        current = _locked(candidate)
        if current.status == Candidate.Status.WITHDRAWN:
            return current
        current.status = Candidate.Status.WITHDRAWN
        current.withdrawn_at = at or timezone.now()
        candidate_save(current)
    return current
