"""Load the reference labour-mobility projects (PALIM, MATCH, Aurora, ...) from ``projects/data/``.

Their documented results disagree between sources (domain.md section 0), so each figure is stored as
a ``FunnelRecord`` with its source and a ``verified`` flag, never as a project constant. Like the
taxonomy loader, this one checks the whole file first, writes in one transaction and writes nothing
on a re-run. It needs the ESCO occupations of ``reference_data_load`` for the target occupations.

Organisations are matched by name; fields an operator fills in later (enterprise number, compliance
status, attestations) are not in the file and are never touched.
"""

import datetime
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.choices import CEFRLevel, Region
from core.models import Organisation
from core.validators import validate_country_code
from projects.models import Cohort, FunnelRecord, Project, ProjectFunding, ProjectPartner, TrainingProgramme
from reference.fixtures_loader import LoadSummary, ReferenceDataError, upsert
from reference.models import EscoOccupation

PROJECTS_FILE = Path(__file__).resolve().parent / "data" / "reference_projects.json"


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def _check(data: dict[str, Any]) -> list[str]:
    """Every problem in the file, before anything is written."""
    problems: list[str] = []
    keys: set[str] = set()
    for org in data["organisations"]:
        where = f"organisation {org.get('key')!r}"
        if org["key"] in keys:
            problems.append(f"{where}: duplicate key")
        keys.add(org["key"])
        if org["kind"] not in Organisation.Kind.values:
            problems.append(f"{where}: unknown kind {org['kind']!r}")
        if org.get("region", "") not in ("", *Region.values):
            problems.append(f"{where}: unknown region {org['region']!r}")
        # The database enforces the same rule; saying it here names the row.
        if org["kind"] == Organisation.Kind.EMPLOYER and org["country"] == "BE" and not org.get("region"):
            problems.append(f"{where}: a Belgian employer needs a region")
    for project in data["projects"]:
        where = f"project {project.get('code')!r}"
        countries = [
            *project["origin_countries"],
            *project["destination_countries"],
            *(org["country"] for org in data["organisations"]),
        ]
        for code in countries:
            try:
                validate_country_code(code)
            except ValidationError:
                problems.append(f"{where}: {code!r} is not an ISO 3166-1 alpha-2 code")
        problems += [
            f"{where}: unknown region {r!r}" for r in project["destination_regions"] if r not in Region.values
        ]
        if project["status"] not in Project.Status.values:
            problems.append(f"{where}: unknown status {project['status']!r}")
        cohorts = {cohort["name"] for cohort in project["cohorts"]}
        references = [
            *(p["organisation"] for p in project["partners"]),
            *(f["organisation"] for f in project["fundings"] if f["organisation"]),
            *(p["provider"] for p in project["programmes"] if p["provider"]),
        ]
        problems += [f"{where}: unknown organisation {key!r}" for key in references if key not in keys]
        problems += [
            f"{where}: unknown role {p['role']!r}"
            for p in project["partners"]
            if p["role"] not in ProjectPartner.Role.values
        ]
        for record in [*project["funnel"], *project["programmes"]]:
            if record.get("cohort") and record["cohort"] not in cohorts:
                problems.append(f"{where}: unknown cohort {record['cohort']!r}")
        for record in project["funnel"]:
            if record["stage"] not in FunnelRecord.Stage.values or not record["source"]:
                problems.append(f"{where}: funnel record needs a known stage and a source: {record}")
        for programme in project["programmes"]:
            if programme["dutch_target_level"] not in ("", *CEFRLevel.values):
                problems.append(f"{where}: unknown CEFR level {programme['dutch_target_level']!r}")
        try:
            for value in (
                project["starts_on"],
                project["ends_on"],
                *(c["starts_on"] for c in project["cohorts"]),
                *(r["as_of"] for r in project["funnel"]),
            ):
                _date(value)
            for value in (
                project["budget_eur"],
                *(f["amount_eur"] for f in project["fundings"]),
                *(f["share_percent"] for f in project["fundings"]),
            ):
                _decimal(value)
        except (ValueError, InvalidOperation) as exc:
            problems.append(f"{where}: {exc}")
    return problems


def _load_project(
    spec: dict[str, Any],
    organisations: dict[str, Organisation],
    occupations: dict[str, int],
    summary: LoadSummary,
) -> None:
    project = upsert(
        Project,
        lookup={"code": spec["code"]},
        values={
            "name": spec["name"],
            "full_name": spec["full_name"],
            "description": spec["description"],
            "origin_countries": spec["origin_countries"],
            "destination_countries": spec["destination_countries"],
            "destination_regions": spec["destination_regions"],
            "sectors": spec["sectors"],
            "starts_on": _date(spec["starts_on"]),
            "ends_on": _date(spec["ends_on"]),
            "status": spec["status"],
            "budget_eur": _decimal(spec["budget_eur"]),
            "target_beneficiaries": spec["target_beneficiaries"],
            "target_women_percent": spec["target_women_percent"],
            "sources": spec["sources"],
            "notes": spec["notes"],
        },
        counts=summary["projects"],
    )
    # Targets are only added: a coordinator may have added more occupations to the project.
    wanted = {occupations[uri] for uri in spec["target_occupations"]}
    present = set(project.target_occupations.filter(pk__in=wanted).values_list("pk", flat=True))
    project.target_occupations.add(*(wanted - present))
    summary["project_targets"].created += len(wanted - present)
    summary["project_targets"].unchanged += len(present)

    for partner in spec["partners"]:
        upsert(
            ProjectPartner,
            lookup={
                "project_id": project.pk,
                "organisation_id": organisations[partner["organisation"]].pk,
                "role": partner["role"],
            },
            values={},
            counts=summary["project_partners"],
        )
    for funding in spec["fundings"]:
        funder = organisations.get(funding["organisation"] or "")
        upsert(
            ProjectFunding,
            lookup={"project_id": project.pk, "funder": funding["funder"]},
            values={
                "funder_organisation_id": funder.pk if funder else None,
                "amount_eur": _decimal(funding["amount_eur"]),
                "share_percent": _decimal(funding["share_percent"]),
            },
            counts=summary["project_fundings"],
        )
    cohorts: dict[str, int] = {}
    for cohort in spec["cohorts"]:
        cohorts[cohort["name"]] = upsert(
            Cohort,
            lookup={"project_id": project.pk, "name": cohort["name"]},
            values={
                "starts_on": _date(cohort["starts_on"]),
                "ends_on": _date(cohort["ends_on"]),
                "planned_size": cohort["planned_size"],
            },
            counts=summary["cohorts"],
        ).pk
    for programme in spec["programmes"]:
        provider = organisations.get(programme["provider"] or "")
        upsert(
            TrainingProgramme,
            lookup={"project_id": project.pk, "name": programme["name"]},
            values={
                "cohort_id": cohorts.get(programme["cohort"] or ""),
                "provider_id": provider.pk if provider else None,
                **{
                    name: programme[name]
                    for name in (
                        "dutch_target_level",
                        "dutch_target_nt2",
                        "includes_civic_orientation",
                        "includes_soft_skills",
                        "includes_technical_training",
                        "duration_months",
                        "in_country_of_origin",
                    )
                },
            },
            counts=summary["training_programmes"],
        )
    for record in spec["funnel"]:
        upsert(
            FunnelRecord,
            lookup={"project_id": project.pk, "stage": record["stage"], "source": record["source"]},
            values={
                "cohort_id": cohorts.get(record["cohort"] or ""),
                "count": record["count"],
                "as_of": _date(record["as_of"]),
                "verified": record["verified"],
                "note": record["note"],
            },
            counts=summary["funnel_records"],
        )


def reference_projects_load(*, path: Path = PROJECTS_FILE) -> LoadSummary:
    """Load (or refresh) the reference projects, their partners, funding, cohorts and funnel records.

    Raises ``ReferenceDataError`` without writing when the file is inconsistent or a target occupation
    is missing (run ``reference_data_load`` first; the ``load_reference_data`` command does both).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        problems = _check(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReferenceDataError([f"{path.name}: {exc!r}"]) from exc
    uris = {uri for project in data["projects"] for uri in project["target_occupations"]}
    occupations = dict(EscoOccupation.objects.filter(uri__in=uris).values_list("uri", "pk"))
    problems += [
        f"{path.name}: target occupation {uri} is not loaded" for uri in sorted(uris - occupations.keys())
    ]
    if problems:
        raise ReferenceDataError(problems)

    summary = LoadSummary()
    with transaction.atomic():
        organisations = {
            org["key"]: upsert(
                Organisation,
                lookup={"name": org["name"]},
                values={
                    "short_name": org["short_name"],
                    "kind": org["kind"],
                    "country": org["country"],
                    "region": org.get("region", ""),
                },
                counts=summary["organisations"],
            )
            for org in data["organisations"]
        }
        for spec in data["projects"]:
            _load_project(spec, organisations, occupations, summary)
    return summary
