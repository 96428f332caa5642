"""What the generator reads before it writes: reference data loaded once into plain values.

Reading everything up front (occupations with their curated skills, partner organisations, projects with
cohorts and programmes, the thresholds valid on the anchor date) lets the generators work without a
single per-row query, which is what makes a hundred thousand candidates feasible in minutes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from core.models import Organisation
from demo.profiles import OTHER, family_of
from projects.models import Cohort, Project, ProjectPartner, TrainingProgramme
from reference.in_force import in_force_lists, thresholds_in_force
from reference.models import (
    EscoOccupation,
    OccupationSkillRelation,
    SalaryThreshold,
    ShortageListOccupation,
)

# The demo world is frozen on this day: every date is derived from it, never from the clock, so a run
# next year produces the same rows as a run today.
ANCHOR_DATE = datetime.date(2026, 11, 1)


class DemoSetupError(Exception):
    """Reference data the generator needs is missing; run ``load_reference_data`` first."""


@dataclass(frozen=True)
class OccupationInfo:
    id: int
    uri: str
    isco: str
    label_nl: str
    label_en: str
    family: str
    regulated: bool
    essential: tuple[int, ...]
    optional: tuple[int, ...]


@dataclass(frozen=True)
class CohortInfo:
    id: int
    starts_on: datetime.date
    ends_on: datetime.date | None


@dataclass(frozen=True)
class ProgrammeInfo:
    id: int
    cohort_id: int | None
    dutch_target_level: str
    duration_months: int
    civic: bool
    soft_skills: bool
    in_country_of_origin: bool


@dataclass(frozen=True)
class ProjectInfo:
    id: int
    key: str
    lead_organisation_id: int | None
    cohorts: tuple[CohortInfo, ...]
    programmes: tuple[ProgrammeInfo, ...]
    target_occupation_ids: frozenset[int]


@dataclass
class DemoContext:
    """Reference values the generators draw from, keyed so that no generator needs to query."""

    anchor: datetime.date
    occupations: list[OccupationInfo]
    by_family: dict[str, list[OccupationInfo]]
    shortage_occupation_ids: frozenset[int]  # on a Flemish list valid on the anchor date
    highly_skilled_eur: float
    reduced_eur: float
    projects: dict[str, ProjectInfo]
    organisations: dict[str, int]  # key (vdab, anapec, ...) -> organisation id
    warnings: list[str] = field(default_factory=list)


# How to find each reference project: its code or name, tried case-insensitively in this order.
PROJECT_KEYS: dict[str, tuple[str, ...]] = {
    "palim": ("palim",),
    "match": ("match",),
    "aurora": ("aurora",),
    "iom_tunisia": ("iom-be-tn-internships", "iom-tunisia", "iom belgium–tunisia internships"),
    "thamm": ("thamm",),
    "dt4e": ("dt4e",),
}

# How to find each organisation the demo needs: short name first, then a fragment of the full name.
ORGANISATION_KEYS: dict[str, tuple[str, ...]] = {
    "vdab": ("VDAB", "Vlaamse Dienst voor Arbeidsbemiddeling"),
    "anapec": ("ANAPEC", "Agence Nationale de Promotion de l'Emploi"),
    "aneti": ("ANETI", "Agence Nationale pour l'Emploi et le Travail"),
    "iom": ("IOM", "International Organization for Migration"),
    "odepc": ("ODEPC", "Overseas Development and Employment"),
    "enabel": ("Enabel", "Belgian development agency"),
    "tbb": ("TBB", "Talent Beyond Boundaries"),
}

LEAD_ROLES = ("lead", "implementing")


def _find_organisations() -> dict[str, int]:
    found: dict[str, int] = {}
    candidates = list(
        Organisation.objects.exclude(kind=Organisation.Kind.EMPLOYER).values("id", "name", "short_name")
    )
    for key, (short_name, name_fragment) in ORGANISATION_KEYS.items():
        for row in sorted(candidates, key=lambda r: r["id"]):
            if row["short_name"].lower() == short_name.lower() or row["name"].lower() == short_name.lower():
                found[key] = row["id"]
                break
        else:
            for row in sorted(candidates, key=lambda r: r["id"]):
                if name_fragment.lower() in row["name"].lower():
                    found[key] = row["id"]
                    break
    return found


def _find_projects() -> dict[str, ProjectInfo]:
    rows = list(Project.objects.order_by("id").values("id", "code", "name"))
    cohorts: dict[int, list[CohortInfo]] = defaultdict(list)
    for cohort in Cohort.objects.order_by("starts_on", "id").values(
        "id", "project_id", "starts_on", "ends_on"
    ):
        cohorts[cohort["project_id"]].append(CohortInfo(cohort["id"], cohort["starts_on"], cohort["ends_on"]))
    programmes: dict[int, list[ProgrammeInfo]] = defaultdict(list)
    for programme in TrainingProgramme.objects.order_by("id").values(
        "id",
        "project_id",
        "cohort_id",
        "dutch_target_level",
        "duration_months",
        "includes_civic_orientation",
        "includes_soft_skills",
        "in_country_of_origin",
    ):
        programmes[programme["project_id"]].append(
            ProgrammeInfo(
                id=programme["id"],
                cohort_id=programme["cohort_id"],
                dutch_target_level=programme["dutch_target_level"],
                duration_months=programme["duration_months"] or 6,
                civic=programme["includes_civic_orientation"],
                soft_skills=programme["includes_soft_skills"],
                in_country_of_origin=programme["in_country_of_origin"],
            )
        )
    targets: dict[int, set[int]] = defaultdict(set)
    for link in Project.target_occupations.through.objects.values("project_id", "escooccupation_id"):
        targets[link["project_id"]].add(link["escooccupation_id"])
    # The organisation that pays project costs: the lead partner, else the first implementing one.
    leads: dict[int, int] = {}
    for role in reversed(LEAD_ROLES):
        for project_id, organisation_id in (
            ProjectPartner.objects.filter(role=role)
            .order_by("-id")
            .values_list("project_id", "organisation_id")
        ):
            leads[project_id] = organisation_id

    found: dict[str, ProjectInfo] = {}
    for key, names in PROJECT_KEYS.items():
        for name in names:
            row = next((r for r in rows if name in (r["code"].lower(), r["name"].lower())), None)
            if row is not None:
                found[key] = ProjectInfo(
                    id=row["id"],
                    key=key,
                    lead_organisation_id=leads.get(row["id"]),
                    cohorts=tuple(cohorts[row["id"]]),
                    programmes=tuple(programmes[row["id"]]),
                    target_occupation_ids=frozenset(targets[row["id"]]),
                )
                break
    return found


def _threshold(category: str, anchor: datetime.date) -> float | None:
    row = thresholds_in_force(anchor, region="VLG").get(category)  # provisionally the latest published
    return float(row.amount) if row is not None else None


def load_context(anchor: datetime.date = ANCHOR_DATE) -> DemoContext:
    """Read the reference data the demo builds on; ``DemoSetupError`` when the essentials are missing."""
    warnings: list[str] = []
    on_list = in_force_lists(anchor, region="VLG").values_list(
        "entries__occupation_links__occupation_id", flat=True
    )
    shortage_ids = frozenset(pk for pk in on_list if pk is not None)
    relations: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"essential": [], "optional": []})
    for occupation_id, skill_id, relation_type in OccupationSkillRelation.objects.order_by(
        "skill__uri"
    ).values_list("occupation_id", "skill_id", "relation_type"):
        relations[occupation_id][relation_type].append(skill_id)
    # Vacancies are drawn from occupations on any Flemish shortage list (ever), so the demo also has
    # vacancies for occupations that have just dropped off the current list.
    listed = EscoOccupation.objects.filter(
        Q(shortage_links__entry__shortage_list__region="VLG") | Q(id__in=shortage_ids)
    ).distinct()
    # ESCO has no Dutch label for some occupations the loader adds; the list's own title is Dutch.
    list_titles: dict[int, str] = {}
    for occupation_id, title in ShortageListOccupation.objects.order_by(
        "-entry__shortage_list__valid_from", "id"
    ).values_list("occupation_id", "entry__title_nl"):
        list_titles.setdefault(occupation_id, title)
    occupations = [
        OccupationInfo(
            id=row["id"],
            uri=row["uri"],
            isco=row["isco_group_id"],
            label_nl=row["label_nl"] or list_titles.get(row["id"]) or row["label_en"],
            label_en=row["label_en"],
            family=family_of(row["isco_group_id"]),
            regulated=row["is_regulated"],
            essential=tuple(relations[row["id"]]["essential"]),
            optional=tuple(relations[row["id"]]["optional"]),
        )
        for row in listed.order_by("uri").values(
            "id", "uri", "isco_group_id", "label_nl", "label_en", "is_regulated"
        )
    ]
    occupations = [o for o in occupations if o.family != OTHER]
    if not occupations:
        raise DemoSetupError("No ESCO occupations on a Flemish shortage list: run load_reference_data first.")
    by_family: dict[str, list[OccupationInfo]] = defaultdict(list)
    for occupation in occupations:
        by_family[occupation.family].append(occupation)

    highly_skilled = _threshold(SalaryThreshold.Category.HIGHLY_SKILLED, anchor)
    reduced = _threshold(SalaryThreshold.Category.HIGHLY_SKILLED_REDUCED, anchor)
    if highly_skilled is None:
        # Demo salaries only need an order of magnitude; the 2025 amount (domain.md 1.5) will do.
        highly_skilled = 48_912.0
        warnings.append("No Flemish highly skilled threshold valid on the anchor date; using 48,912 EUR.")
    if reduced is None:
        reduced = round(highly_skilled * 0.8, 2)

    organisations = _find_organisations()
    partners = [key for key in ("anapec", "aneti", "iom", "odepc") if key in organisations]
    if "vdab" not in organisations or not partners:
        raise DemoSetupError("VDAB or the partner organisations are missing: run load_reference_data first.")
    for key in ORGANISATION_KEYS:
        if key not in organisations:
            warnings.append(f"Organisation {key!r} not found; its candidates go to another partner.")
    projects = _find_projects()
    for key in PROJECT_KEYS:
        if key not in projects:
            warnings.append(f"Project {key!r} not found; its candidates are generated without a project.")
    return DemoContext(
        anchor=anchor,
        occupations=occupations,
        by_family=dict(by_family),
        shortage_occupation_ids=shortage_ids,
        highly_skilled_eur=highly_skilled,
        reduced_eur=reduced,
        projects=projects,
        organisations=organisations,
        warnings=warnings,
    )
