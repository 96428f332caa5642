"""What a profile write reads and writes, for one candidate or a hundred in the same number of statements.

``profiles`` decides (validates, compares, plans); this module does the I/O of a set of plans:

- ``stored_read``: what the plans compare with (current rows of the parts given, open consents,
  external ids taken, the projects each partner takes part in), one query per table for all of them;
- ``plans_write``: the plans' changes with one statement per table (``rows_insert`` / ``bulk_update`` /
  one DELETE), whatever their number. Related rows need the candidates' ids and the recognition steps
  their diplomas' ids: both are inserted with the ids returned by the database, where it can (PostgreSQL,
  SQLite from 3.35), else row by row (``candidates.services.inserts``);
- ``plan_forget_writes``: after a rolled-back write, the plan's objects as they were before it, so the
  plan can be written again (the caller's fallback, one candidate at a time).
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.services.consents import ConsentPlan, consents_apply
from candidates.services.inserts import rows_insert
from core.models import Organisation
from projects.models import ProjectPartner

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
    "sex",  # self-declared, for fairness monitoring only (docs/fairness.md): never a matching input
    "video_cv_url",  # https only; employers see it only with its own consent (docs/pathways/selection.md)
)


@dataclass(frozen=True)
class Collection:
    """A list of rows hanging from the candidate, replaced as a whole when given."""

    name: str  # the ``ProfileInput`` attribute and the first part of an error path
    model: type[models.Model]
    related_name: str
    unique_by: tuple[str, ...]  # no two rows of one candidate share these values


COLLECTIONS = (
    Collection("languages", LanguageProficiency, "languages", ("language",)),
    Collection("work_experience", WorkExperience, "experiences", ()),
    Collection("skills", CandidateSkill, "skills", ("skill",)),
    Collection("licences", Licence, "licences", ("kind", "issuing_country")),
    Collection("training", TrainingEnrolment, "enrolments", ("programme",)),
)
# Every part of a profile besides the candidate's own fields (``ProfileInput`` attributes).
PARTS = ("desired_occupations", *(c.name for c in COLLECTIONS), "diplomas", "consents")

DiplomaRows = list[tuple[Diploma, list[RecognitionStep]]]
# A stored row as "did anything change?" compares it: its values of ``compared_fields``, as read. Plain
# values, not model instances: building some 2,000 instances per bulk request only to compare them cost
# more than reading them.
StoredRow = tuple[Any, ...]
StoredDiplomas = list[tuple[StoredRow, list[StoredRow]]]


@functools.cache
def compared_fields(model: type[models.Model], skip: tuple[str, ...]) -> tuple["models.Field[Any, Any]", ...]:
    """The columns a row is compared by: all but its id and ``skip`` (the row it hangs from)."""
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip)


@dataclass
class Plan:
    """One candidate's write, validated and ready, and whether each part changes anything."""

    candidate: Candidate
    adding: bool
    fields_changed: tuple[str, ...] = ()  # the candidate's own fields that change (model field names)
    occupations: list[int] | None = None
    rows: dict[str, list[models.Model]] = field(default_factory=dict)
    diplomas: DiplomaRows | None = None
    consents: ConsentPlan | None = None

    @property
    def changed(self) -> bool:
        return (
            self.adding
            or bool(self.fields_changed)
            or self.occupations is not None
            or bool(self.rows)
            or self.diplomas is not None
            or (self.consents is not None and self.consents.changed)
        )


@dataclass
class Stored:
    """What the database holds for the candidates of one write, by candidate id."""

    occupations: dict[int, list[int]] = field(default_factory=dict)
    rows: dict[str, dict[int, list[StoredRow]]] = field(default_factory=dict)
    diplomas: dict[int, StoredDiplomas] = field(default_factory=dict)
    open_consents: dict[int, list[Consent]] = field(default_factory=dict)
    # (registering organisation id, external id) -> the candidate holding it.
    taken: dict[tuple[int, str], int] = field(default_factory=dict)
    # The projects each registering organisation takes part in (None for a PES: any project).
    partner_projects: dict[int, frozenset[int] | None] = field(default_factory=dict)


def _occupation_columns() -> tuple[type[models.Model], str, str]:
    """The desired occupations' through model and its two id columns (candidate, occupation)."""
    relation = Candidate._meta.get_field("desired_occupations")
    assert isinstance(relation, models.ManyToManyField)
    through = relation.remote_field.through
    assert through is not None and not isinstance(through, str)
    return through, f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"


def _columns(model: type[models.Model], owner: str) -> list[str]:
    return [f.attname for f in compared_fields(model, (owner,))]


def _by_candidate(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.candidate_id, []).append(row)
    return grouped


def stored_read(
    entries: Sequence[tuple[Candidate, str, frozenset[str]]],
) -> Stored:
    """What the plans of ``entries`` (candidate, the external id it will have, the parts its profile
    gives) compare with, one query per table some profile gives (a part no profile gives is not read)."""
    stored = Stored()

    def existing(part: str) -> list[int]:
        return [candidate.pk for candidate, _, parts in entries if candidate.pk is not None and part in parts]

    if ids := existing("desired_occupations"):
        through, owner, occupation = _occupation_columns()
        for candidate_id, occupation_id in through._default_manager.filter(
            **{f"{owner}__in": ids}
        ).values_list(owner, occupation):
            stored.occupations.setdefault(candidate_id, []).append(occupation_id)
    for collection in COLLECTIONS:
        if ids := existing(collection.name):
            by_candidate: dict[int, list[StoredRow]] = {}
            for candidate_id, *values in collection.model._default_manager.filter(
                candidate_id__in=ids
            ).values_list("candidate_id", *_columns(collection.model, "candidate")):
                by_candidate.setdefault(candidate_id, []).append(tuple(values))
            stored.rows[collection.name] = by_candidate
    if ids := existing("diplomas"):
        steps: dict[int, list[StoredRow]] = {}
        for diploma_id, *values in RecognitionStep.objects.filter(diploma__candidate_id__in=ids).values_list(
            "diploma_id", *_columns(RecognitionStep, "diploma")
        ):
            steps.setdefault(diploma_id, []).append(tuple(values))
        for pk, candidate_id, *values in Diploma.objects.filter(candidate_id__in=ids).values_list(
            "pk", "candidate_id", *_columns(Diploma, "candidate")
        ):
            stored.diplomas.setdefault(candidate_id, []).append((tuple(values), steps.get(pk, [])))
    if ids := existing("consents"):
        stored.open_consents = _by_candidate(Consent.objects.filter(candidate_id__in=ids, withdrawn_at=None))
    organisations = {candidate.registered_by for candidate, _, _ in entries}
    external_ids = {external_id for _, external_id, _ in entries if external_id}
    if external_ids:
        taken = Candidate.objects.filter(
            registered_by__in=organisations, external_id__in=external_ids
        ).values_list("registered_by_id", "external_id", "pk")
        stored.taken = {(organisation_id, external_id): pk for organisation_id, external_id, pk in taken}
    partners = {o.pk: o for o in organisations if o.kind != Organisation.Kind.PES}
    stored.partner_projects = {o.pk: None for o in organisations if o.pk not in partners}
    projects: dict[int, set[int]] = {pk: set() for pk in partners}
    if partners:
        for organisation_id, project_id in ProjectPartner.objects.filter(
            organisation_id__in=partners
        ).values_list("organisation_id", "project_id"):
            projects[organisation_id].add(project_id)
    stored.partner_projects |= {pk: frozenset(ids) for pk, ids in projects.items()}
    return stored


def _replace(model: type[models.Model], owner: str, owners: list[int], rows: list[Any]) -> None:
    """Delete the rows of ``owners`` (existing candidates) and insert ``rows`` instead."""
    if owners:
        model._default_manager.filter(**{f"{owner}__in": owners}).delete()
    rows_insert(model, rows)


def plans_write(plans: Sequence[Plan]) -> None:
    """Write what the plans change, in the caller's transaction, with one statement per table whatever
    their number: candidates first (related rows need their ids), consents last (withdrawn before the
    new ones are recorded: one open consent per purpose and recipient). No version bump here: the
    caller marks the written candidates stale (``candidates.services.versions``)."""
    now = timezone.now()

    def existing(plans: Iterable[Plan]) -> list[int]:
        return [plan.candidate.pk for plan in plans if not plan.adding]

    rows_insert(Candidate, [plan.candidate for plan in plans if plan.adding], with_ids=True)
    # Only the fields some plan changes: ``bulk_update`` compiles one CASE branch per row and field,
    # which for every profile field of a hundred candidates cost seconds of Python.
    changing = [plan for plan in plans if not plan.adding and plan.fields_changed]
    if changing:
        names = sorted({name for plan in changing for name in plan.fields_changed})
        Candidate.objects.bulk_update([plan.candidate for plan in changing], names)
    # ``updated_at`` covers what hangs from the candidate too (and ``bulk_update`` runs no ``auto_now``).
    if ids := existing(plans):
        Candidate.objects.filter(pk__in=ids).update(updated_at=now)
    with_occupations = [plan for plan in plans if plan.occupations is not None]
    if with_occupations:
        through, owner, occupation = _occupation_columns()
        rows = [
            through(**{owner: plan.candidate.pk, occupation: occupation_id})
            for plan in with_occupations
            for occupation_id in plan.occupations or ()
        ]
        _replace(through, owner, existing(with_occupations), rows)
    # Rows get their owner's id, not the object: an assignment through the relation costs about as much
    # as building the row, and nothing reads the owner back from them.
    for collection in COLLECTIONS:
        given = [plan for plan in plans if collection.name in plan.rows]
        for plan in given:
            for row in plan.rows[collection.name]:
                row.candidate_id = plan.candidate.pk  # type: ignore[attr-defined]
        all_rows = [row for plan in given for row in plan.rows[collection.name]]
        _replace(collection.model, "candidate_id", existing(given), all_rows)
    with_diplomas = [plan for plan in plans if plan.diplomas is not None]
    if with_diplomas:
        if owners := existing(with_diplomas):
            Diploma.objects.filter(candidate_id__in=owners).delete()  # recognition steps go with them
        diplomas = []
        for plan in with_diplomas:
            for diploma, _steps in plan.diplomas or ():
                diploma.candidate_id = plan.candidate.pk
                diplomas.append(diploma)
        rows_insert(Diploma, diplomas, with_ids=True)
        steps = []
        for plan in with_diplomas:
            for diploma, diploma_steps in plan.diplomas or ():
                for step in diploma_steps:
                    step.diploma_id = diploma.pk
                    steps.append(step)
        rows_insert(RecognitionStep, steps)
    consents = [(plan.candidate, plan.consents, plan.adding) for plan in plans if plan.consents is not None]
    if consents:
        consents_apply(consents, now=now)


def _unsaved(instances: Iterable[models.Model]) -> None:
    for instance in instances:
        instance.pk = None
        instance._state.adding = True


def plan_forget_writes(plan: Plan) -> None:
    """After ``plans_write`` rolled back: the plan's new rows without the ids the database gave them, so
    that the plan can be written again (or its rows checked against the constraints)."""
    if plan.adding:
        _unsaved([plan.candidate])
    for rows in plan.rows.values():
        _unsaved(rows)
    for diploma, steps in plan.diplomas or ():
        _unsaved([diploma, *steps])
    if plan.consents is not None:
        _unsaved(consent for _index, consent in plan.consents.created)
        for consent in plan.consents.withdrawn:
            consent.withdrawn_at = None
