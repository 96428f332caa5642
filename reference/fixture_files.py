"""Read and cross-check the reference files shipped in ``reference/data/``, without touching the database.

Every problem in every file is collected and reported together (``ReferenceDataError``), so a data
editor fixes them in one pass; ``reference.fixtures_loader`` writes only data that passed these checks.
The seed table's annotations ("(approx.)", "(altLabel ...)", "M23 ✓; M26-") are turned into fields
here, so the writer never parses text.
"""

import csv
import datetime
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from reference.models import EscoSkill, OccupationSkillRelation, SalaryThreshold

DATA_DIR = Path(__file__).resolve().parent / "data"
# The seed table (domain.md 8.4) lists ESCO v1.2 concepts; a full import restamps them.
SEED_ESCO_VERSION = "v1.2.0"
# Skills we made up for demo matching live in our own namespace: an invented ESCO UUID would be a lie.
CURATED_ESCO_VERSION = "talentbrug-curated"
CURATED_SKILL_NAMESPACE = "urn:talentbrug:skill:"
ESCO_SKILL_NAMESPACE = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION_NAMESPACE = "http://data.europa.eu/esco/occupation/"

OCCUPATION_FILES = ("shortage_occupations.csv", "additional_occupations.csv")
THRESHOLD_COLUMNS = {
    "highly_skilled_eur": SalaryThreshold.Category.HIGHLY_SKILLED,
    "highly_skilled_reduced_eur": SalaryThreshold.Category.HIGHLY_SKILLED_REDUCED,
    "manager_eur": SalaryThreshold.Category.MANAGER,
    "eu_blue_card_eur": SalaryThreshold.Category.EU_BLUE_CARD,
}


class ReferenceDataError(Exception):
    """The data files are inconsistent; ``problems`` lists every one found, as "file:line: message"."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Row:
    where: str
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "").strip()


def read_rows(path: Path, *, required: Sequence[str], problems: list[str]) -> list[Row]:
    """Rows of a UTF-8 CSV file by header name; lines starting with ``#`` are comments."""
    if not path.is_file():
        problems.append(f"{path.name}: file not found in {path.parent}")
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        numbered = [(n, line) for n, line in enumerate(handle, start=1) if not line.startswith("#")]
    reader = csv.DictReader(line for _, line in numbered)
    missing = [name for name in required if name not in (reader.fieldnames or [])]
    if missing:
        problems.append(f"{path.name}: missing columns {', '.join(missing)}")
        return []
    rows = []
    for record in reader:
        where = f"{path.name}:{numbered[reader.line_num - 1][0]}"
        if None in record:
            problems.append(f"{where}: more cells than columns")
            continue
        rows.append(Row(where=where, values={k: v or "" for k, v in record.items()}))
    return rows


def _date(text: str, where: str, problems: list[str]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        problems.append(f"{where}: {text!r} is not a date (YYYY-MM-DD)")
        return None


@dataclass(frozen=True)
class IscoRow:
    code: str
    label_en: str
    label_nl: str
    label_fr: str


def _parse_isco(rows: Sequence[Row], problems: list[str]) -> list[IscoRow]:
    groups = [IscoRow(r["code"], r["label_en"], r["label_nl"], r["label_fr"]) for r in rows]
    codes = {g.code for g in groups}
    for row, group in zip(rows, groups, strict=True):
        if not re.fullmatch(r"\d{1,4}", group.code) or not group.label_en:
            problems.append(f"{row.where}: needs a 1-4 digit code and an English label")
        elif len(group.code) > 1 and group.code[:-1] not in codes:
            problems.append(f"{row.where}: parent group {group.code[:-1]} is missing from the file")
    # Parents first, so each insert finds its parent.
    return sorted(groups, key=lambda g: (len(g.code), g.code))


_APPROX = re.compile(r"\s*\(approx\.[^)]*\)")
_ALT_NOTE = re.compile(r"\s*\(alt: [^)]*\)")
_ALT_LABEL = re.compile(r"\s*\(altLabel ([^)]+)\)")


@dataclass(frozen=True)
class SeedOccupation:
    """One row of the seed table, with the table's annotations turned into fields."""

    where: str
    uri: str
    isco_code: str
    label_en: str
    label_nl: str
    label_fr: str
    alt_labels_nl: tuple[str, ...]
    list_title_nl: str
    fit: str
    is_regulated: bool
    note: str
    vdab_mark: str = ""  # the raw "V ..." token
    m23: tuple[str, str] | None = None  # (verified | inferred | unknown, raw token)
    m26: tuple[str, str] | None = None  # (added | removed | unknown, raw token)


def _clean_fr(label: str) -> str:
    """The seed table truncates some French labels ("…/…"): keep the complete masculine form."""
    if label.endswith("…"):
        label = label.rsplit("/", 1)[0] if "/" in label else label.rstrip("… ")
    return label.strip()


def _parse_status(text: str, where: str, problems: list[str]) -> dict[str, Any]:
    """Split a ``list_status`` cell ("V (top 10); M23 ✓; M26-") into the three memberships."""
    status: dict[str, Any] = {}
    for token in (t.strip() for t in text.split(";")):
        if not token or re.fullmatch(r"on 2019 (migration )?list|removed 2023", token):
            continue  # history this seed does not model
        marker, rest = token[:3], token[3:].strip()
        if token == "V" or token.startswith(("V ", "V(")):
            status["vdab_mark"] = token
        elif marker == "M23" and rest[:1] in ("✓", "(", "?"):
            state = "verified" if rest.startswith("✓") else "inferred" if rest.startswith("(✓") else "unknown"
            status["m23"] = (state, token)
        elif marker == "M26" and rest[:1] in ("+", "-", "?"):
            status["m26"] = ({"+": "added", "-": "removed", "?": "unknown"}[rest[0]], token)
        else:
            problems.append(f"{where}: unknown list status {token!r}")
    return status


def _parse_occupations(
    rows: Sequence[Row], isco_codes: set[str], problems: list[str]
) -> list[SeedOccupation]:
    occupations: list[SeedOccupation] = []
    seen: set[str] = set()
    for row in rows:
        uri, isco = row["esco_uri"], row["isco08"]
        if not uri.startswith(ESCO_OCCUPATION_NAMESPACE) or uri in seen:
            problems.append(f"{row.where}: {uri!r} is not a new ESCO occupation URI")
            continue
        seen.add(uri)
        if isco not in isco_codes or len(isco) != 4:
            problems.append(f"{row.where}: ISCO unit group {isco!r} is not in isco_groups.csv")
        if row["regulated"] not in ("yes", "no"):
            problems.append(f"{row.where}: regulated must be yes or no")
        raw_en, raw_nl, raw_term = row["label_en"], row["label_nl"], row["flemish_list_term"]
        alt_label = _ALT_LABEL.search(raw_nl)
        term = _APPROX.sub("", raw_term).strip()
        # domain.md 8.4 prints the Flemish list term in italics; for the healthcare assistant it is the
        # ESCO altLabel ("zorghulp (altLabel zorgkundige)").
        alt_labels = [part.strip() for part in term.split(" / ") if part.strip()]
        if alt_label:
            alt_labels.append(alt_label.group(1).strip())
        label_en = _ALT_NOTE.sub("", _APPROX.sub("", raw_en)).strip()
        label_nl = _ALT_LABEL.sub("", raw_nl).strip()
        occupations.append(
            SeedOccupation(
                where=row.where,
                uri=uri,
                isco_code=isco,
                label_en=label_en,
                label_nl=label_nl,
                label_fr=_clean_fr(row["label_fr"]),
                alt_labels_nl=tuple(dict.fromkeys(alt_labels)),
                list_title_nl=term
                or (alt_label.group(1).strip() if alt_label else "")
                or label_nl
                or label_en,
                fit="approximate" if _APPROX.search(raw_en) or _APPROX.search(raw_term) else "exact",
                is_regulated=row["regulated"] == "yes",
                note=row["note"],
                **_parse_status(row["list_status"], row.where, problems),
            )
        )
    return occupations


@dataclass(frozen=True)
class SeedSkill:
    uri: str
    esco_version: str
    skill_type: str
    reuse_level: str
    label_en: str
    label_nl: str
    label_fr: str


def _parse_skills(rows: Sequence[Row], problems: list[str]) -> dict[str, SeedSkill]:
    skills: dict[str, SeedSkill] = {}
    for row in rows:
        skill = SeedSkill(
            **{
                name: row[name]
                for name in (
                    "uri",
                    "esco_version",
                    "skill_type",
                    "reuse_level",
                    "label_en",
                    "label_nl",
                    "label_fr",
                )
            }
        )
        curated = skill.uri.startswith(CURATED_SKILL_NAMESPACE)
        if curated != (skill.esco_version == CURATED_ESCO_VERSION) or not (
            curated or skill.uri.startswith(ESCO_SKILL_NAMESPACE)
        ):
            problems.append(
                f"{row.where}: curated skills need a {CURATED_SKILL_NAMESPACE} URI and version "
                f"{CURATED_ESCO_VERSION}; only real ESCO skills may use {ESCO_SKILL_NAMESPACE}"
            )
        if skill.skill_type not in EscoSkill.SkillType.values or not skill.label_en or skill.uri in skills:
            problems.append(f"{row.where}: bad skill type, missing label or duplicate URI")
        skills[skill.uri] = skill
    return skills


@dataclass(frozen=True)
class SeedRelation:
    occupation_uri: str
    skill_uri: str
    relation_type: str


def _parse_relations(
    rows: Sequence[Row],
    occupations: Mapping[str, SeedOccupation],
    skills: Mapping[str, SeedSkill],
    problems: list[str],
) -> list[SeedRelation]:
    relations: dict[tuple[str, str], SeedRelation] = {}
    for row in rows:
        relation = SeedRelation(row["occupationUri"], row["skillUri"], row["relationType"])
        occupation, skill = occupations.get(relation.occupation_uri), skills.get(relation.skill_uri)
        # The label columns are for people reading the file; checking them catches a pasted wrong URI.
        if occupation is None or occupation.label_en != row["occupationLabel"]:
            problems.append(
                f"{row.where}: occupation {relation.occupation_uri} / {row['occupationLabel']!r} unknown"
            )
        if skill is None or skill.label_en != row["skillLabel"]:
            problems.append(f"{row.where}: skill {relation.skill_uri} / {row['skillLabel']!r} unknown")
        if relation.relation_type not in OccupationSkillRelation.RelationType.values:
            problems.append(f"{row.where}: relation type must be essential or optional")
        if (relation.occupation_uri, relation.skill_uri) in relations:
            problems.append(f"{row.where}: duplicate relation")
        relations[(relation.occupation_uri, relation.skill_uri)] = relation
    return list(relations.values())


@dataclass
class EntryPlan:
    """One list entry: occupations sharing a Flemish title are merged into it."""

    isco_codes: set[str] = field(default_factory=set)
    verified: bool = True
    notes: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # occupation URI -> fit


def _membership(occupation: SeedOccupation, rule: str) -> tuple[bool, str] | None:
    """Whether the occupation is on the list built by ``rule``: (verified, note), or None."""
    m23_state, m23_token = occupation.m23 or ("", "")
    m26_state, m26_token = occupation.m26 or ("", "")
    if rule == "vdab" and occupation.vdab_mark:
        return False, (
            f"Seed mark '{occupation.vdab_mark}': on the VDAB list in at least one recent year; "
            "membership in 2026 unverified."
        )
    if rule == "migration_2023" and occupation.m23:
        meaning = {
            "verified": "confirmed by sources",
            "inferred": "inferred from earlier lists, no recorded removal",
            "unknown": "not verified",
        }[m23_state]
        removed = " Removed from 1 January 2026." if m26_state == "removed" else ""
        return m23_state == "verified", f"Seed mark '{m23_token}': {meaning}.{removed}"
    if rule == "migration_2026":
        if m26_state == "added":
            return True, f"Seed mark '{m26_token}': added from 1 January 2026 (sources agree)."
        if occupation.m23 and m26_state == "unknown":
            return False, f"Seed mark '{m26_token}': not verified whether it stays on the 2026 list."
        if occupation.m23 and m26_state != "removed":
            return (
                False,
                "Carried over from the 2023 list (no recorded removal); the full 2026 list is unverified.",
            )
    return None


def plan_entries(occupations: Sequence[SeedOccupation], rule: str) -> dict[str, EntryPlan]:
    plans: dict[str, EntryPlan] = {}
    for occupation in occupations:
        membership = _membership(occupation, rule)
        if membership is None:
            continue
        verified, note = membership
        plan = plans.setdefault(occupation.list_title_nl, EntryPlan())
        plan.isco_codes.add(occupation.isco_code)
        plan.verified = plan.verified and verified
        plan.notes.extend(n for n in (note, occupation.note) if n and n not in plan.notes)
        plan.links[occupation.uri] = occupation.fit
    return plans


@dataclass(frozen=True)
class SeedThreshold:
    category: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    amount: Decimal
    confirmed: bool
    basis_note: str
    source: str


def _parse_thresholds(
    rows: Sequence[Row], sources: Sequence[Row], problems: list[str]
) -> list[SeedThreshold]:
    by_start = {row["valid_from"]: row for row in sources}
    thresholds = []
    for row in rows:
        start, end = (
            _date(row["valid_from"], row.where, problems),
            _date(row["valid_to"], row.where, problems),
        )
        source = by_start.get(row["valid_from"])
        if source is None:
            problems.append(f"{row.where}: no row for {row['valid_from']} in salary_threshold_sources.csv")
            continue
        unconfirmed = set(source["unconfirmed_categories"].split())
        if not unconfirmed <= {"all", *THRESHOLD_COLUMNS.values()}:
            problems.append(f"{source.where}: unknown categories in {sorted(unconfirmed)}")
        for column, category in THRESHOLD_COLUMNS.items():
            if not row[column]:
                continue  # no published value for that year (2019 reduced, 2022 manager)
            try:
                amount = Decimal(row[column])
            except InvalidOperation:
                problems.append(f"{row.where}: {column} {row[column]!r} is not a number")
                continue
            if start is None or amount <= 0:
                continue
            thresholds.append(
                SeedThreshold(
                    category=category,
                    valid_from=start,
                    valid_to=end,
                    amount=amount,
                    confirmed=not ({"all", category} & unconfirmed or row["note"].startswith("unconfirmed")),
                    basis_note=" ".join(
                        part
                        for part in (f"Flemish Region, reference year {row['year']}.", row["note"])
                        if part
                    ),
                    source=source["source"],
                )
            )
    return thresholds


@dataclass
class ReferenceFiles:
    isco_groups: list[IscoRow]
    occupations: list[SeedOccupation]
    skills: dict[str, SeedSkill]
    relations: list[SeedRelation]
    lists: list[dict[str, Any]]
    thresholds: list[SeedThreshold]
    qualification_levels: list[Row]


def read_reference_files(*, data_dir: Path = DATA_DIR) -> ReferenceFiles:
    """Read and cross-check every file; raise ``ReferenceDataError`` listing all problems found."""
    problems: list[str] = []
    isco = _parse_isco(
        read_rows(data_dir / "isco_groups.csv", required=("code", "label_en"), problems=problems), problems
    )
    occupation_rows = [
        row
        for name in OCCUPATION_FILES
        for row in read_rows(
            data_dir / name,
            required=(
                "isco08",
                "esco_uri",
                "label_en",
                "label_nl",
                "flemish_list_term",
                "label_fr",
                "list_status",
                "regulated",
            ),
            problems=problems,
        )
    ]
    occupations = _parse_occupations(occupation_rows, {g.code for g in isco}, problems)
    skills = _parse_skills(
        read_rows(
            data_dir / "curated_skills.csv",
            required=("uri", "esco_version", "skill_type", "label_en"),
            problems=problems,
        ),
        problems,
    )
    relations = _parse_relations(
        read_rows(
            data_dir / "curated_skill_relations.csv",
            required=("occupationUri", "occupationLabel", "relationType", "skillUri", "skillLabel"),
            problems=problems,
        ),
        {o.uri: o for o in occupations},
        skills,
        problems,
    )
    lists_path = data_dir / "shortage_lists.json"
    try:
        lists = json.loads(lists_path.read_text(encoding="utf-8"))["lists"]
    except (OSError, ValueError, KeyError) as exc:
        problems.append(f"{lists_path.name}: {exc}")
        lists = []
    for spec in lists:
        if spec.get("membership") not in ("vdab", "migration_2023", "migration_2026"):
            problems.append(f"{lists_path.name}: unknown membership rule {spec.get('membership')!r}")
    thresholds = _parse_thresholds(
        read_rows(
            data_dir / "salary_thresholds_flanders.csv",
            required=("year", "valid_from", "valid_to", "note", *THRESHOLD_COLUMNS),
            problems=problems,
        ),
        read_rows(
            data_dir / "salary_threshold_sources.csv",
            required=("valid_from", "unconfirmed_categories", "source"),
            problems=problems,
        ),
        problems,
    )
    levels = read_rows(
        data_dir / "qualification_equivalences.csv",
        required=("isced_level", "vks_min", "vks_max", "note"),
        problems=problems,
    )
    for row in levels:
        if not all(row[c].isdigit() for c in ("isced_level", "vks_min", "vks_max")):
            problems.append(f"{row.where}: levels must be whole numbers")
    if problems:
        raise ReferenceDataError(problems)
    return ReferenceFiles(isco, occupations, skills, relations, lists, thresholds, levels)
