"""The EU Talent Pool / EURES export: consenting candidates and open shortage vacancies as JSON documents
in the shape of ``exports/schemas/`` (docs/talent-pool.md explains the mapping field by field).

Who goes out:
* a candidate who is active (never restricted, withdrawn, anonymised or placed: ``visible()``) and whose
  consent to the ``talent_pool_export`` purpose is in force now (granted, not expired, not withdrawn:
  ``ConsentQuerySet.in_force``, the rule every other reader of consents uses);
* a published vacancy of an employer in good standing whose occupation is on a shortage list in force
  today for the vacancy's region (``reference.in_force.in_force_filter``, the rule of the matching, the
  pre-publication check and the vacancy outlooks).

Every record is validated against its schema (Draft 2020-12) before it is written. A record that fails
is left out and listed in the document's ``errors`` section by its reference, with the JSON Pointer and
the rule that failed, never the value: the rest of the export stays usable and nothing is silently
dropped. The records are read in chunks and written as they are read (a generator of JSON text), so the
query count depends on the number of chunks, never on the number of rows.
"""

import datetime
import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from candidates.models import Candidate, CandidateSkill, Consent, Diploma, WorkExperience
from candidates.models.profile import CandidateQuerySet
from core.models import Organisation
from reference.in_force import in_force_filter
from reference.models import EscoOccupation, EscoSkill, ShortageList, ShortageListOccupation
from vacancies.models import Vacancy, VacancyLanguageRequirement, VacancyQuerySet, VacancySkill
from vacancies.selectors import SUSPENDED

CHUNK = 500  # records read per query (and per prefetch): bounded memory, few queries for many rows
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
CANDIDATES, VACANCIES = "candidates", "vacancies"
SCHEMA_FILES = {
    CANDIDATES: "talent_pool_candidate.schema.json",
    VACANCIES: "talent_pool_vacancy.schema.json",
}
RECORD_DEFINITIONS = {CANDIDATES: "candidate", VACANCIES: "vacancy"}
EXPORT_VERSION = "1"

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Only a concept of ESCO's own namespace is exported as an ESCO URI. The reference data also holds
# Talentbrug-curated skills (urn:talentbrug:...) and test concepts: they go out by label, never under an
# invented ESCO URI (reference/validators.py).
ESCO_OCCUPATION_URI = re.compile(rf"^http://data\.europa\.eu/esco/occupation/{_UUID}$")
ESCO_SKILL_URI = re.compile(rf"^http://data\.europa\.eu/esco/skill/{_UUID}$")

# ISO 3166-2 codes of the Belgian regions. The German-speaking Community is not a subdivision of ISO
# 3166-2:BE: its territory lies in the Walloon Region.
REGION_SUBDIVISIONS = {"VLG": "BE-VLG", "BRU": "BE-BRU", "WAL": "BE-WAL", "DG": "BE-WAL"}
# "Other language" of the profile has no ISO 639-1 code: it cannot be said in the shape, so it is not
# exported (docs/talent-pool.md).
NO_ISO_LANGUAGE = "xx"
CEFR_FIELDS = {
    "listening": "listening",
    "reading": "reading",
    "spoken_interaction": "spokenInteraction",
    "spoken_production": "spokenProduction",
    "writing": "writing",
}


# --- The schemas ----------------------------------------------------------------------------------------


@functools.cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of the ``kind`` export (``CANDIDATES`` or ``VACANCIES``), as shipped."""
    with (SCHEMA_DIR / SCHEMA_FILES[kind]).open(encoding="utf-8") as file:
        loaded: dict[str, Any] = json.load(file)
    return loaded


@functools.cache
def _registry() -> Registry:
    # The vacancy schema refers to the candidate schema's shared definitions by its $id: both are
    # registered, nothing is ever fetched over the network.
    return Registry().with_resources(
        (schema(kind)["$id"], Resource.from_contents(schema(kind))) for kind in SCHEMA_FILES
    )


@functools.cache
def document_validator(kind: str) -> Draft202012Validator:
    """A validator of a whole export document of ``kind``."""
    return Draft202012Validator(
        schema(kind), registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@functools.cache
def record_validator(kind: str) -> Draft202012Validator:
    """A validator of one record (a candidate or a vacancy) of the ``kind`` export."""
    reference = f"{schema(kind)['$id']}#/$defs/{RECORD_DEFINITIONS[kind]}"
    return Draft202012Validator(
        {"$ref": reference}, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _pointer(path: Iterable[Any]) -> str:
    # RFC 6901: "~" and "/" inside a name are escaped.
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def record_problems(kind: str, record: dict[str, Any]) -> list[dict[str, str]]:
    """What makes ``record`` fail its schema: each problem's JSON Pointer and the keyword that failed,
    without the value (which may be personal data). Empty when the record is valid."""
    problems = {
        (_pointer(error.absolute_path), str(error.validator))
        for error in record_validator(kind).iter_errors(record)
    }
    return [{"path": path, "rule": rule} for path, rule in sorted(problems)]


# --- Who and what goes out ------------------------------------------------------------------------------


def talent_pool_candidates() -> CandidateQuerySet:
    """Active candidates with a consent to the talent pool export in force now, with everything the
    record needs prefetched (a fixed number of queries per chunk)."""
    in_force = Consent.objects.in_force().filter(purpose=Consent.Purpose.TALENT_POOL_EXPORT)
    return (
        Candidate.objects.visible()
        .filter(Exists(in_force.filter(candidate=OuterRef("pk"))))
        .order_by("pk")
        .prefetch_related(
            Prefetch("desired_occupations", queryset=EscoOccupation.objects.order_by("pk")),
            Prefetch(
                "experiences", queryset=WorkExperience.objects.select_related("occupation").order_by("pk")
            ),
            Prefetch("diplomas", queryset=Diploma.objects.order_by("pk")),
            "languages",
            Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill").order_by("pk")),
            # The consent the record goes out under (one in force per purpose: a database constraint).
            Prefetch("consents", queryset=in_force.order_by("-granted_at"), to_attr="talent_pool_consents"),
        )
    )


@dataclass(frozen=True)
class ShortageVacancies:
    """The open shortage vacancies, and per (region, occupation id) the kinds of the lists naming it."""

    vacancies: VacancyQuerySet
    list_kinds: dict[tuple[str, int], frozenset[str]]


def talent_pool_vacancies(*, day: datetime.date) -> ShortageVacancies:
    """Published vacancies of employers in good standing whose occupation is on a shortage list in force
    on ``day`` for the vacancy's region (two queries for the lists, whatever the number of vacancies)."""
    lists = {
        pk: (region, kind)
        for pk, region, kind in ShortageList.objects.filter(
            in_force_filter(ShortageList, day, group=("region", "kind"))
        ).values_list("pk", "region", "kind")
    }
    kinds: dict[tuple[str, int], set[str]] = {}
    for occupation_id, list_id in ShortageListOccupation.objects.filter(
        entry__shortage_list_id__in=list(lists)
    ).values_list("occupation_id", "entry__shortage_list_id"):
        region, kind = lists[list_id]
        kinds.setdefault((region, occupation_id), set()).add(kind)
    on_a_list = Q(pk__in=[])  # nothing when no list is in force
    by_region: dict[str, set[int]] = {}
    for region, occupation_id in kinds:
        by_region.setdefault(region, set()).add(occupation_id)
    for region, occupation_ids in sorted(by_region.items()):
        on_a_list |= Q(region=region, occupation_id__in=sorted(occupation_ids))
    vacancies = (
        Vacancy.objects.open()
        .exclude(employer__compliance_status__in=SUSPENDED)
        .filter(on_a_list)
        .select_related("employer", "occupation")
        .prefetch_related(
            Prefetch(
                "skill_requirements", queryset=VacancySkill.objects.select_related("skill").order_by("pk")
            ),
            Prefetch(
                "language_requirements", queryset=VacancyLanguageRequirement.objects.order_by("language")
            ),
        )
        .order_by("pk")
    )
    return ShortageVacancies(vacancies, {key: frozenset(value) for key, value in kinds.items()})


# --- The mapping ----------------------------------------------------------------------------------------


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal) -> int | float:
    # JSON numbers: 38 stays 38, 0.5 stays 0.5 (a Decimal is not JSON).
    return int(value) if value == value.to_integral_value() else float(value)


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    """Optional fields are left out rather than null: the schema says what may be absent."""
    return {key: value for key, value in values.items() if value is not None}


def occupation_record(occupation: EscoOccupation) -> dict[str, Any]:
    """An occupation: its stored ESCO URI when it is one (the reference data stores the full URI, not a
    bare UUID: nothing is built), always the ISCO-08 unit group, and the English preferred label."""
    return _without_none(
        {
            "escoUri": occupation.uri if ESCO_OCCUPATION_URI.match(occupation.uri) else None,
            "iscoCode": occupation.isco_group_id,
            "label": occupation.label_en,
        }
    )


def _skills(skills: Iterable[EscoSkill]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    esco, other = [], []
    for skill in skills:
        if ESCO_SKILL_URI.match(skill.uri):
            esco.append({"escoUri": skill.uri, "label": skill.label_en})
        else:
            other.append({"label": skill.label_en})
    return esco, other


def _cefr(row: Any) -> dict[str, str]:
    """The CEFR level of each skill the row states (a blank skill was not assessed: left out)."""
    return {name: getattr(row, field) for field, name in CEFR_FIELDS.items() if getattr(row, field)}


def candidate_record(candidate: Candidate) -> dict[str, Any]:
    """The talent pool record of ``candidate`` (prefetched by ``talent_pool_candidates``).

    Minimal: no name, e-mail, phone, date of birth, sex, address or employer names; the public
    employment service is the contact point and finds the person by ``reference``."""
    consents: list[Consent] = getattr(candidate, "talent_pool_consents", [])
    consent = consents[0] if consents else None
    skills, other_skills = _skills(row.skill for row in candidate.skills.all())
    return _without_none(
        {
            "reference": str(candidate.public_id),
            "countryOfResidence": candidate.country_of_residence,
            "nationalities": list(candidate.nationalities),
            "availableFrom": _date(candidate.available_from),
            "desiredOccupations": [occupation_record(o) for o in candidate.desired_occupations.all()],
            "experience": [
                _without_none(
                    {
                        "occupation": occupation_record(row.occupation),
                        "country": row.country,
                        "startDate": _date(row.started_on),
                        "endDate": _date(row.ended_on),
                        "fullTimeEquivalent": _number(row.fte),
                    }
                )
                for row in candidate.experiences.all()
            ],
            "education": [
                _without_none(
                    {
                        "iscedLevel": diploma.isced_level,
                        "iscedField": diploma.field or None,
                        "title": diploma.title,
                        "country": diploma.country,
                        "awardedYear": diploma.awarded_on.year if diploma.awarded_on else None,
                    }
                )
                for diploma in candidate.diplomas.all()
            ],
            "languages": [
                {"language": row.language, "native": row.is_native, "cefr": _cefr(row)}
                for row in sorted(candidate.languages.all(), key=lambda row: row.language)
                if row.language != NO_ISO_LANGUAGE
            ],
            "skills": skills,
            "otherSkills": other_skills,
            # Absent only if the consent was withdrawn between the two queries: the record then fails
            # its schema and is listed as an error, never exported without its consent.
            "consent": _consent_record(consent) if consent is not None else None,
        }
    )


def _consent_record(consent: Consent) -> dict[str, Any]:
    return _without_none(
        {
            "textVersion": consent.text_version,
            "grantedOn": _date(timezone.localdate(consent.granted_at)),
            "expiresOn": _date(timezone.localdate(consent.expires_at)) if consent.expires_at else None,
            "countries": list(consent.countries),
        }
    )


def vacancy_record(vacancy: Vacancy, list_kinds: Iterable[str]) -> dict[str, Any]:
    """The talent pool / EURES record of ``vacancy`` (prefetched by ``talent_pool_vacancies``)."""
    requirements = list(vacancy.skill_requirements.all())
    skills, other_skills = [], []
    for requirement in requirements:
        esco, other = _skills([requirement.skill])
        for item in esco:
            skills.append({**item, "relation": requirement.relation_type})
        for item in other:
            other_skills.append({**item, "relation": requirement.relation_type})
    return _without_none(
        {
            "reference": str(vacancy.public_id),
            "title": vacancy.title,
            "description": vacancy.description or None,
            "occupation": occupation_record(vacancy.occupation),
            "employer": {"name": vacancy.employer.name, "country": vacancy.employer.country},
            "location": {
                "country": "BE",
                "subdivision": REGION_SUBDIVISIONS.get(vacancy.region, vacancy.region),
                "municipality": vacancy.municipality,
                "postalCode": vacancy.postal_code,
            },
            "positions": vacancy.positions,
            "startDate": _date(vacancy.start_date),
            "contract": _without_none(
                {"type": vacancy.contract_type, "durationMonths": vacancy.contract_months}
            ),
            "weeklyHours": _number(vacancy.weekly_hours),
            "salary": {
                "grossAnnual": _number(vacancy.gross_annual_salary_eur),
                "grossMonthly": _number(vacancy.gross_monthly_salary_eur),
                "currency": "EUR",
            },
            "requirements": _without_none(
                {
                    "minimumIscedLevel": vacancy.min_isced_level,
                    "minimumExperienceYears": _number(vacancy.min_experience_years),
                    "languages": [
                        {"language": row.language, "mandatory": row.mandatory, "cefrMinimum": _cefr(row)}
                        for row in vacancy.language_requirements.all()
                        if row.language != NO_ISO_LANGUAGE
                    ],
                    "skills": skills,
                    "otherSkills": other_skills,
                }
            ),
            "shortageLists": sorted(list_kinds),
            "publishedOn": _date(timezone.localdate(vacancy.published_at)) if vacancy.published_at else None,
        }
    )


# --- The documents, written as they are read ------------------------------------------------------------


def contact_point(organisation: Organisation | None) -> dict[str, str]:
    """The public employment service the exporting user works for: the talent pool's way back to a
    candidate (the record carries no contact details of the person)."""
    if organisation is None:
        return {"organisation": "Talentbrug", "country": "BE"}
    return {"organisation": organisation.name, "country": organisation.country}


def _document_lines(
    kind: str, header: dict[str, Any], records: Iterator[tuple[str, dict[str, Any]]]
) -> Iterator[str]:
    """The JSON document: the header's fields, the records that pass the schema, then the ``errors``
    (the references of those that did not, with their problems) and a ``summary`` with both counts."""
    opening = json.dumps(header, ensure_ascii=False)[:-1]  # the header object, still open
    yield f'{opening}, "{kind}": ['
    errors: list[dict[str, Any]] = []
    exported = 0
    for reference, record in records:
        problems = record_problems(kind, record)
        if problems:
            errors.append({"reference": reference, "problems": problems})
            continue
        yield ("," if exported else "") + "\n" + json.dumps(record, ensure_ascii=False)
        exported += 1
    summary = {"exported": exported, "leftOut": len(errors)}
    yield f'\n], "errors": {json.dumps(errors)}, "summary": {json.dumps(summary)}}}\n'


def _header(kind: str, organisation: Organisation | None, **extra: Any) -> dict[str, Any]:
    return {
        "exportVersion": EXPORT_VERSION,
        "kind": f"talent_pool_{kind}",
        "generatedAt": timezone.now().replace(microsecond=0).isoformat(),
        **extra,
        "contactPoint": contact_point(organisation),
    }


def candidate_document_lines(*, organisation: Organisation | None) -> Iterator[str]:
    """The candidate export as JSON text, produced while the candidates are read."""
    records = (
        (str(candidate.public_id), candidate_record(candidate))
        for candidate in talent_pool_candidates().iterator(chunk_size=CHUNK)
    )
    return _document_lines(CANDIDATES, _header(CANDIDATES, organisation), records)


def vacancy_document_lines(*, organisation: Organisation | None, day: datetime.date) -> Iterator[str]:
    """The vacancy export as JSON text for the lists in force on ``day``, produced while it is read."""
    header = _header(VACANCIES, organisation, referenceDate=day.isoformat())

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        # The lists are read when the first line is asked for, like the vacancies that follow.
        found = talent_pool_vacancies(day=day)
        for vacancy in found.vacancies.iterator(chunk_size=CHUNK):
            kinds = found.list_kinds.get((vacancy.region, vacancy.occupation_id), frozenset())
            yield str(vacancy.public_id), vacancy_record(vacancy, kinds)

    return _document_lines(VACANCIES, header, records())
