"""Import the official ESCO CSV download (domain.md section 3.2) into the reference taxonomy.

Two halves. Reading and checking the files is plain Python, in ``reference.importers.esco_files``: it
returns records and "file:line: message" errors and never touches the database. ``esco_import`` then
checks the references that need the database (ISCO parents, unit groups, skills) and writes everything
in one transaction, or nothing at all when there is a single error.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

from reference.importers.esco_files import (
    RELATION_TYPES,
    SKILL_TYPES,
    EscoFiles,
    Translation,
    esco_file_name,
    read_esco_files,
)
from reference.models import EscoImport, EscoOccupation, EscoSkill, IscoGroup, OccupationSkillRelation

BATCH_SIZE = 1000

# esco_files spells out these choices to stay free of Django; a value added to a model but not there
# would have its rows refused as errors, so the mismatch stops the import before it can read a file.
_MODEL_RELATION_TYPES = frozenset(OccupationSkillRelation.RelationType.values)
_MODEL_SKILL_TYPES = frozenset(EscoSkill.SkillType.values)
if (_MODEL_RELATION_TYPES, _MODEL_SKILL_TYPES) != (RELATION_TYPES, SKILL_TYPES):
    raise ImproperlyConfigured(
        "reference.importers.esco_files: RELATION_TYPES or SKILL_TYPES differ from the model choices"
    )


class EscoImportError(Exception):
    """The files cannot be imported; ``errors`` lists every problem as "file:line: message"."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__(f"{len(errors)} error(s) in the ESCO files")
        self.errors = list(errors)


def check_references(
    files: EscoFiles, *, known_isco_codes: set[str], known_occupations: set[str], known_skills: set[str]
) -> list[str]:
    """Errors for references found neither in the files nor among the given (stored) keys."""
    errors: list[str] = []
    isco_codes = files.isco_groups.keys() | known_isco_codes
    for group in files.isco_groups.values():
        parent = group.code[:-1]
        if parent and parent not in isco_codes:
            where = f"{esco_file_name(kind='isco')}:{group.line}"
            errors.append(f"{where}: parent group {parent!r} of {group.code!r} not found")
    for occupation in files.occupations.values():
        if "isco" in files.unusable or occupation.problems():
            continue
        if occupation.isco_code not in isco_codes:
            errors.append(
                f"{esco_file_name(kind='occupations')}:{occupation.line}: "
                f"ISCO unit group {occupation.isco_code!r} not found"
            )
    occupations = files.occupations.keys() | known_occupations
    skills = files.skills.keys() | known_skills
    for relation in files.relations.values():
        where = f"{relation.file}:{relation.line}"
        if relation.occupation_uri not in occupations and "occupations" not in files.unusable:
            errors.append(f"{where}: occupation {relation.occupation_uri!r} not found")
        if relation.skill_uri not in skills and "skills" not in files.unusable:
            errors.append(f"{where}: skill {relation.skill_uri!r} not found")
    return errors


# --- Writing --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return f"{text}, {self.deleted} deleted" if self.deleted else text


@dataclass(frozen=True)
class EscoImportResult:
    record: EscoImport
    isco_groups: WriteCount
    occupations: WriteCount
    skills: WriteCount
    relations: WriteCount
    warnings: tuple[str, ...]


ModelT = TypeVar("ModelT", bound=models.Model)


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """Slices small enough for an ``IN (...)`` on SQLite, whose bound-parameter limit can be 999."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _stored_keys(model: type[models.Model], *, key: str, wanted: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(wanted)):
        found.update(model._default_manager.filter(**{f"{key}__in": chunk}).values_list(key, flat=True))
    return found


def _upsert(model: type[ModelT], *, key: str, rows: Mapping[str, dict[str, Any]]) -> WriteCount:
    """Insert new rows and overwrite changed ones; a row already equal to the file is not written.

    Comparing first keeps a re-import a true no-op and lets the command report what a release changed.
    The writes are one INSERT ... ON CONFLICT (key) DO UPDATE per batch, on SQLite and PostgreSQL alike:
    ``bulk_update`` builds a CASE per column and row, and took minutes for a version bump of 14k skills.
    ``rows`` maps each key to attribute values; columns not named there (say label_nl when no Dutch file
    was read) keep their stored value.
    """
    if not rows:
        return WriteCount()
    fields = list(next(iter(rows.values())))
    stored: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(rows)):
        for values in model._default_manager.filter(**{f"{key}__in": chunk}).values(key, *fields):
            stored[values.pop(key)] = values
    created = updated = 0
    to_write: list[ModelT] = []
    for key_value, values in rows.items():
        current = stored.get(key_value)
        if current is None or current != values:
            created, updated = (created + 1, updated) if current is None else (created, updated + 1)
            to_write.append(model(**{key: key_value}, **values))
    model._default_manager.bulk_create(
        to_write, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=[key], update_fields=fields
    )
    return WriteCount(created=created, updated=updated, unchanged=len(rows) - created - updated)


def _label_values(
    files: EscoFiles, *, kind: str, key: str, label: str, alt_labels: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """label_xx (and alt_labels_xx for concepts) of each language read for ``kind``; others stay as stored."""
    values: dict[str, Any] = {"label_en": label}
    if alt_labels is not None:
        values["alt_labels_en"] = list(alt_labels)
    for language, translations in files.translations.get(kind, {}).items():
        translation = translations.get(key, Translation(label="", alt_labels=()))
        values[f"label_{language}"] = translation.label
        if alt_labels is not None:
            values[f"alt_labels_{language}"] = list(translation.alt_labels)
    return values


def _sync_relations(files: EscoFiles) -> WriteCount:
    """Make the stored relations of every imported occupation equal to the file: add, retype, remove."""
    occupation_ids = dict(EscoOccupation.objects.values_list("uri", "pk"))
    skill_ids = dict(EscoSkill.objects.values_list("uri", "pk"))
    wanted = {
        (occupation_ids[r.occupation_uri], skill_ids[r.skill_uri]): r.relation_type
        for r in files.relations.values()
    }
    scope = {occupation_ids[uri] for uri in files.occupations} | {occupation for occupation, _ in wanted}
    stored: dict[tuple[int, int], tuple[int, str]] = {}
    for chunk in _chunks(sorted(scope)):
        relations = OccupationSkillRelation.objects.filter(occupation_id__in=chunk)
        for pk, occupation, skill, relation_type in relations.values_list(
            "pk", "occupation_id", "skill_id", "relation_type"
        ):
            stored[(occupation, skill)] = (pk, relation_type)
    new = [(pair, relation_type) for pair, relation_type in wanted.items() if pair not in stored]
    changed = [
        OccupationSkillRelation(pk=stored[pair][0], relation_type=relation_type)
        for pair, relation_type in wanted.items()
        if pair in stored and stored[pair][1] != relation_type
    ]
    gone = [pk for pair, (pk, _) in stored.items() if pair not in wanted]
    # Model instances are built per slice: 120k of them at once would cost more memory than the files.
    for chunk in _chunks(new, 10 * BATCH_SIZE):
        OccupationSkillRelation.objects.bulk_create(
            [
                OccupationSkillRelation(occupation_id=occupation, skill_id=skill, relation_type=relation_type)
                for (occupation, skill), relation_type in chunk
            ],
            batch_size=BATCH_SIZE,
        )
    OccupationSkillRelation.objects.bulk_update(changed, ["relation_type"], batch_size=BATCH_SIZE // 2)
    for chunk in _chunks(gone):
        OccupationSkillRelation.objects.filter(pk__in=chunk).delete()
    unchanged = len(wanted) - len(new) - len(changed)
    return WriteCount(created=len(new), updated=len(changed), unchanged=unchanged, deleted=len(gone))


def esco_import(*, directory: Path, version: str, languages: Sequence[str]) -> EscoImportResult:
    """Import one ESCO download: all or nothing, and idempotent.

    Every error in the files is collected before anything is written; if there is one, the database
    is left untouched and ``EscoImportError`` lists them all. Concepts are matched by URI (ISCO groups
    by code) and only changed rows are written, so importing the same files twice changes nothing.
    The relations of each imported occupation are made equal to the file: ESCO drops relations between
    releases, and a stale "essential" skill would distort matching. Concepts missing from a newer
    release are kept, since vacancies and shortage lists may still point at them.
    """
    version = version.strip()
    if not version or len(version) > 20:
        raise EscoImportError([f"--version: {version!r} must be 1 to 20 characters, such as v1.2.0"])
    files = read_esco_files(directory=directory, languages=languages)
    with transaction.atomic():
        # References are checked even when the files have errors, so one run reports everything; and
        # inside the transaction, so the stored keys relied upon are the ones written against.
        errors = files.errors + check_references(
            files,
            known_isco_codes=set(IscoGroup.objects.values_list("code", flat=True)),
            known_occupations=_stored_keys(
                EscoOccupation,
                key="uri",
                wanted={r.occupation_uri for r in files.relations.values()} - files.occupations.keys(),
            ),
            known_skills=_stored_keys(
                EscoSkill,
                key="uri",
                wanted={r.skill_uri for r in files.relations.values()} - files.skills.keys(),
            ),
        )
        if errors:
            raise EscoImportError(errors)

        isco_rows = {
            group.code: {
                **_label_values(files, kind="isco", key=group.code, label=group.label),
                "level": len(group.code),
                "parent_id": group.code[:-1] or None,
            }
            # By code, so that parents ("011") are inserted before their children ("0110").
            for group in sorted(files.isco_groups.values(), key=lambda group: group.code)
        }
        occupation_rows = {
            occupation.uri: {
                **_label_values(
                    files,
                    kind="occupations",
                    key=occupation.uri,
                    label=occupation.label,
                    alt_labels=occupation.alt_labels,
                ),
                "description_en": occupation.description,
                "status": occupation.status,
                "esco_version": version,
                "isco_group_id": occupation.isco_code,
                "esco_code": occupation.esco_code,
                "is_regulated": occupation.is_regulated,
                "regulated_profession_note": occupation.regulated_note,
            }
            for occupation in files.occupations.values()
        }
        skill_rows = {
            skill.uri: {
                **_label_values(
                    files, kind="skills", key=skill.uri, label=skill.label, alt_labels=skill.alt_labels
                ),
                "description_en": skill.description,
                "status": skill.status,
                "esco_version": version,
                "skill_type": skill.skill_type,
                "reuse_level": skill.reuse_level,
            }
            for skill in files.skills.values()
        }
        result = EscoImportResult(
            isco_groups=_upsert(IscoGroup, key="code", rows=isco_rows),
            occupations=_upsert(EscoOccupation, key="uri", rows=occupation_rows),
            skills=_upsert(EscoSkill, key="uri", rows=skill_rows),
            relations=_sync_relations(files),
            record=EscoImport.objects.create(
                esco_version=version,
                source=str(directory)[:300],
                languages=files.languages,
                isco_groups=len(files.isco_groups),
                occupations=len(files.occupations),
                skills=len(files.skills),
                relations=len(files.relations),
            ),
            warnings=tuple(files.warnings),
        )
    return result
