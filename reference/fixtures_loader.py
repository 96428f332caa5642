"""Load the reference data shipped in ``reference/data/``: taxonomy seed, shortage lists, thresholds.

The files are the project's dated facts (domain.md 2.2, 1.5, 4.3, 8.4), kept as data so that a clone
works without network access or the shared folder. Every file is read and checked before anything is
written, and everything is written in one transaction: a bad row leaves the database untouched.

Re-running is a no-op: rows are matched on their natural keys and written only when a value differs.
Three rules keep a re-run (``make run`` seeds on every start) from undoing better information:

* once an official ESCO download has been imported (an ``EscoImport`` row exists), this seed only
  fills empty taxonomy fields: the official labels and ISCO mappings win;
* curated skill links are not added to an occupation that already has official ESCO relations;
* a row an operator confirmed (a verified list entry, a confirmed salary threshold) is never
  overwritten by an unverified fixture value.
"""

import datetime
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction

from core.choices import Region
from reference.fixture_files import (
    CURATED_ESCO_VERSION,
    CURATED_SKILL_NAMESPACE,
    DATA_DIR,
    SEED_ESCO_VERSION,
    ReferenceDataError,
    ReferenceFiles,
    plan_entries,
    read_reference_files,
)
from reference.models import (
    EscoImport,
    EscoOccupation,
    EscoSkill,
    IscoGroup,
    OccupationSkillRelation,
    QualificationLevelEquivalence,
    SalaryThreshold,
    ShortageList,
    ShortageListEntry,
    ShortageListOccupation,
)

__all__ = [
    "CURATED_ESCO_VERSION",
    "CURATED_SKILL_NAMESPACE",
    "DATA_DIR",
    "LoadSummary",
    "ReferenceDataError",
    "UpsertCounts",
    "reference_data_load",
    "upsert",
]

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # existing rows left alone on purpose (confirmed by an operator, official import)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.kept


@dataclass
class LoadSummary:
    """Counts per kind of row, in load order; printed by the command and compared by the tests."""

    counts: dict[str, UpsertCounts] = field(default_factory=dict)

    def __getitem__(self, key: str) -> UpsertCounts:
        return self.counts.setdefault(key, UpsertCounts())

    def merge(self, other: "LoadSummary") -> None:
        for key, value in other.counts.items():
            self.counts[key] = value

    def lines(self) -> list[str]:
        return [
            f"{key}: {c.total} (created {c.created}, updated {c.updated}, "
            f"unchanged {c.unchanged}, kept {c.kept})"
            for key, c in self.counts.items()
        ]

    @property
    def writes(self) -> int:
        return sum(c.created + c.updated for c in self.counts.values())


def _is_blank(value: object) -> bool:
    return value is None or value == "" or value == [] or value == ()


def upsert(
    model: type[ModelT],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    counts: UpsertCounts,
    fill_only: bool = False,
    always: Collection[str] = (),
    keep: Callable[[ModelT], bool] | None = None,
) -> ModelT:
    """Create the row, or update only the fields whose value differs, so that a re-run writes nothing.

    ``fill_only`` sets only fields that are empty in the database (an official import was richer),
    except the ``always`` fields (values merged by the caller); ``keep`` returns True for an existing
    row that must not be touched at all. Foreign keys are passed as ``<name>_id`` so that comparing
    them costs no query.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        counts.created += 1
        return model._default_manager.create(**lookup, **values)
    if keep is not None and keep(obj):
        counts.kept += 1
        return obj
    changed = [
        name
        for name, value in values.items()
        if getattr(obj, name) != value
        and (name in always or not (fill_only and (not _is_blank(getattr(obj, name)) or _is_blank(value))))
    ]
    if not changed:
        counts.unchanged += 1
        return obj
    for name in changed:
        setattr(obj, name, values[name])
    auto_now = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=[*changed, *auto_now])
    counts.updated += 1
    return obj


def _merged(existing: Sequence[str], ours: Sequence[str]) -> list[str]:
    """Alternative labels are only ever added: an import or an operator may have added more."""
    return list(dict.fromkeys([*existing, *ours]))


def _load_taxonomy(files: ReferenceFiles, summary: LoadSummary) -> None:
    official_import = EscoImport.objects.exists()
    for group in files.isco_groups:
        upsert(
            IscoGroup,
            lookup={"code": group.code},
            values={
                "level": len(group.code),
                "parent_id": group.code[:-1] or None,
                "label_en": group.label_en,
                "label_nl": group.label_nl,
                "label_fr": group.label_fr,
            },
            counts=summary["isco_groups"],
            fill_only=official_import,
        )
    stored_alt = dict(
        EscoOccupation.objects.filter(uri__in=[o.uri for o in files.occupations]).values_list(
            "uri", "alt_labels_nl"
        )
    )
    for occupation in files.occupations:
        upsert(
            EscoOccupation,
            lookup={"uri": occupation.uri},
            values={
                "esco_version": SEED_ESCO_VERSION,
                "isco_group_id": occupation.isco_code,
                "label_en": occupation.label_en,
                "label_nl": occupation.label_nl,
                "label_fr": occupation.label_fr,
                "alt_labels_nl": _merged(stored_alt.get(occupation.uri) or [], occupation.alt_labels_nl),
                "is_regulated": occupation.is_regulated,
            },
            counts=summary["occupations"],
            fill_only=official_import,
            always={"alt_labels_nl"},
        )
    for skill in files.skills.values():
        upsert(
            EscoSkill,
            lookup={"uri": skill.uri},
            values={
                "esco_version": skill.esco_version,
                "skill_type": skill.skill_type,
                "reuse_level": skill.reuse_level,
                "label_en": skill.label_en,
                "label_nl": skill.label_nl,
                "label_fr": skill.label_fr,
            },
            counts=summary["skills"],
            # Curated skills are ours alone; the real language skills defer to an official import.
            fill_only=official_import and skill.esco_version != CURATED_ESCO_VERSION,
        )
    occupation_ids = dict(
        EscoOccupation.objects.filter(uri__in=[o.uri for o in files.occupations]).values_list("uri", "pk")
    )
    skill_ids = dict(EscoSkill.objects.filter(uri__in=list(files.skills)).values_list("uri", "pk"))
    with_official = set(
        OccupationSkillRelation.objects.filter(occupation_id__in=occupation_ids.values())
        .exclude(skill__esco_version=CURATED_ESCO_VERSION)
        .values_list("occupation_id", flat=True)
    )
    for relation in files.relations:
        occupation_id = occupation_ids[relation.occupation_uri]
        if occupation_id in with_official:
            summary["occupation_skills"].kept += 1
            continue
        upsert(
            OccupationSkillRelation,
            lookup={"occupation_id": occupation_id, "skill_id": skill_ids[relation.skill_uri]},
            values={"relation_type": relation.relation_type},
            counts=summary["occupation_skills"],
        )


def _is_verified(entry: ShortageListEntry) -> bool:
    return entry.verified


def _is_confirmed(threshold: SalaryThreshold) -> bool:
    return threshold.confirmed


def _load_shortage_lists(files: ReferenceFiles, summary: LoadSummary) -> None:
    occupation_ids = dict(
        EscoOccupation.objects.filter(uri__in=[o.uri for o in files.occupations]).values_list("uri", "pk")
    )
    for spec in files.lists:
        shortage_list = upsert(
            ShortageList,
            lookup={
                "kind": spec["kind"],
                "region": spec["region"],
                "valid_from": datetime.date.fromisoformat(spec["valid_from"]),
            },
            values={
                "title": spec["title"],
                "valid_to": datetime.date.fromisoformat(spec["valid_to"]) if spec["valid_to"] else None,
                "legal_reference": spec["legal_reference"],
                "source": spec["source"],
                "notes": spec["notes"],
            },
            counts=summary["shortage_lists"],
        )
        for title, plan in plan_entries(files.occupations, spec["membership"]).items():
            entry = upsert(
                ShortageListEntry,
                lookup={"shortage_list_id": shortage_list.pk, "title_nl": title},
                values={
                    "isco_code": next(iter(plan.isco_codes)) if len(plan.isco_codes) == 1 else "",
                    "verified": plan.verified,
                    "notes": " ".join(plan.notes),
                },
                counts=summary["shortage_entries"],
                # An operator who checked the entry against the published text knows better.
                keep=None if plan.verified else _is_verified,
            )
            for uri, fit in plan.links.items():
                upsert(
                    ShortageListOccupation,
                    lookup={"entry_id": entry.pk, "occupation_id": occupation_ids[uri]},
                    values={"fit": fit},
                    counts=summary["shortage_links"],
                )


def _load_thresholds_and_levels(files: ReferenceFiles, summary: LoadSummary) -> None:
    for threshold in files.thresholds:
        upsert(
            SalaryThreshold,
            lookup={
                "region": Region.FLANDERS,
                "category": threshold.category,
                "valid_from": threshold.valid_from,
            },
            values={
                "valid_to": threshold.valid_to,
                "annual_gross_eur": threshold.amount,
                "confirmed": threshold.confirmed,
                "basis_note": threshold.basis_note,
                "source": threshold.source,
            },
            counts=summary["salary_thresholds"],
            # A threshold an operator confirmed (say the real 2026 figure) is never reset to the guess.
            keep=None if threshold.confirmed else _is_confirmed,
        )
    for row in files.qualification_levels:
        upsert(
            QualificationLevelEquivalence,
            lookup={"isced_level": int(row["isced_level"])},
            values={"vks_min": int(row["vks_min"]), "vks_max": int(row["vks_max"]), "note": row["note"]},
            counts=summary["qualification_levels"],
        )


def reference_data_load(*, data_dir: Path = DATA_DIR) -> LoadSummary:
    """Load (or refresh) the shipped reference data in one transaction; safe to run any number of times.

    Returns the counts per kind of row. Raises ``ReferenceDataError`` before writing anything when a
    file is missing or inconsistent.
    """
    files = read_reference_files(data_dir=data_dir)
    summary = LoadSummary()
    with transaction.atomic():
        _load_taxonomy(files, summary)
        _load_shortage_lists(files, summary)
        _load_thresholds_and_levels(files, summary)
    return summary
