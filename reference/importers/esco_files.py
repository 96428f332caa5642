"""Read and check the files of an official ESCO CSV download (domain.md section 3.2), without a database.

Plain Python over ``csv``: ``read_esco_files`` returns records and "file:line: message" errors and never
touches the database, so every problem in a 120k-row download is reported in one run instead of one per
attempt. The checks that need stored data, and the writes, are in ``reference.importers.esco``.

Columns are found by header name: ESCO added ``code`` in v1.1 and ``naceCode`` and the relation
labels in v1.2, and importers that read by position break silently on each release.
"""

import csv
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

SUPPORTED_LANGUAGES = ("en", "nl", "fr")
# ESCO gives every occupation a note; only this URI means "not regulated" (v1.2 uses .../regulated for
# the others, older releases free text). Anything else that is not empty counts as regulated.
UNREGULATED_NOTE = "http://data.europa.eu/esco/regulated-professions/unregulated"
# The values of OccupationSkillRelation.RelationType and EscoSkill.SkillType, spelled out so that this
# module needs no Django; reference.importers.esco refuses to load if they differ from the models.
RELATION_TYPES = frozenset({"essential", "optional"})
SKILL_TYPES = frozenset({"knowledge", "skill/competence"})
# ESCO descriptions and label lists can exceed the csv module's 128 KiB default. The ceiling stays
# finite so that an unclosed quote, which swallows the rest of a file, still ends in an error.
CSV_FIELD_SIZE_LIMIT = 16 * 1024 * 1024
_ISCO_URI = re.compile(r"/isco/C(\d+)$")

FILE_STEMS = {
    "isco": "ISCOGroups",
    "occupations": "occupations",
    "skills": "skills",
    "relations": "occupationSkillRelations",
}
# Required columns exist in every published version (v1.0 to v1.2); later additions (code) are optional.
REQUIRED_COLUMNS = {
    "isco": ("code", "preferredLabel"),
    "occupations": (
        "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "regulatedProfessionNote", "description",
    ),
    "skills": ("conceptUri", "skillType", "preferredLabel", "altLabels", "description"),
    "relations": ("occupationUri", "relationType", "skillUri"),
}  # fmt: skip
TRANSLATION_COLUMNS = {
    "isco": ("code", "preferredLabel"),
    "concept": ("conceptUri", "preferredLabel", "altLabels"),
}
# The model's column sizes: checked while reading, so PostgreSQL never fails half-way through a write.
MAX_LENGTHS = {"uri": 255, "label": 300, "esco_code": 30, "status": 20, "reuse_level": 30}


def esco_file_name(*, kind: str, language: str = "en") -> str:
    return f"{FILE_STEMS[kind]}_{language}.csv"


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # where the record starts; a record spans several lines when a field holds newlines
    fields: list[str]
    columns: Mapping[str, int]  # header name -> position, shared by all rows of a file

    def __getitem__(self, column: str) -> str:
        position = self.columns.get(column)
        return "" if position is None else self.fields[position].strip()

    def has(self, column: str) -> bool:
        return column in self.columns


@dataclass(frozen=True)
class IscoGroupRecord:
    code: str
    label: str
    line: int


@dataclass(frozen=True)
class OccupationRecord:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str
    status: str
    isco_code: str
    esco_code: str
    regulated_note: str
    line: int

    @property
    def is_regulated(self) -> bool:
        note = self.regulated_note.rstrip("/")
        return bool(note) and note != UNREGULATED_NOTE

    def problems(self) -> list[str]:
        if self.isco_code.isdigit() and self.isco_code.isascii() and len(self.isco_code) == 4:
            return []
        return [f"iscoGroup {self.isco_code!r} is not a four-digit ISCO unit group"]


@dataclass(frozen=True)
class SkillRecord:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str
    status: str
    skill_type: str
    reuse_level: str
    line: int

    def problems(self) -> list[str]:
        if self.skill_type in SKILL_TYPES:
            return []
        return [f"skillType {self.skill_type!r} is not one of {', '.join(sorted(SKILL_TYPES))}"]


@dataclass(frozen=True)
class Translation:
    label: str
    alt_labels: tuple[str, ...]


@dataclass(frozen=True)
class RelationRecord:
    occupation_uri: str
    skill_uri: str
    relation_type: str
    file: str
    line: int


@dataclass
class EscoFiles:
    """Everything read from one download, keyed by ISCO code or concept URI."""

    isco_groups: dict[str, IscoGroupRecord] = field(default_factory=dict)
    occupations: dict[str, OccupationRecord] = field(default_factory=dict)
    skills: dict[str, SkillRecord] = field(default_factory=dict)
    relations: dict[tuple[str, str], RelationRecord] = field(default_factory=dict)
    # kind ("isco", "occupations", "skills") -> language -> code or URI -> labels, for files that exist
    translations: dict[str, dict[str, dict[str, Translation]]] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)  # languages of which at least one file was read
    errors: list[str] = field(default_factory=list)
    # Kinds whose English (or relations) file could not be used: references into them are not checked,
    # which would only repeat one missing column as an error per row.
    unusable: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def split_labels(value: str) -> tuple[str, ...]:
    """ESCO packs alternative and hidden labels into one quoted field, one label per line."""
    return tuple(dict.fromkeys(label.strip() for label in value.splitlines() if label.strip()))


def read_csv(*, path: Path, required: Iterable[str], errors: list[str]) -> list[CsvRow] | None:
    """Rows of one ESCO file, or None when the file as a whole is unusable (reasons added to ``errors``).

    A byte that is not UTF-8 is traced to its line: the usual cause is a file re-saved as Latin-1 by a
    spreadsheet, which must be refused rather than imported as mojibake.
    """
    name = path.name
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_SIZE_LIMIT))
    rows: list[CsvRow] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.reader(file)
            header = [column.strip() for column in next(reader, [])]
            missing = [column for column in required if column not in header]
            if missing:
                errors.append(f"{name}:1: missing required column(s): {', '.join(missing)}")
                return None
            columns = {column: position for position, column in enumerate(header)}
            end_of_previous = reader.line_num
            for fields in reader:
                line, end_of_previous = end_of_previous + 1, reader.line_num
                if not fields:
                    continue
                if len(fields) != len(header):
                    errors.append(f"{name}:{line}: {len(fields)} fields where the header has {len(header)}")
                    continue
                rows.append(CsvRow(line=line, fields=fields, columns=columns))
    except UnicodeDecodeError:
        errors.append(f"{name}:{_first_undecodable(path)}; save the file as UTF-8")
        return None
    except csv.Error as exc:
        errors.append(f"{name}:{reader.line_num}: not readable as CSV ({exc})")
        return None
    except OSError as exc:
        errors.append(f"{name}: cannot be read ({exc.strerror or exc})")
        return None
    return rows


def _first_undecodable(path: Path) -> str:
    """Line and message for the first byte that is not UTF-8: the streaming decoder only knows its chunk."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return f"{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x})"
    return "1: not valid UTF-8"


def _length_problems(record: object) -> list[str]:
    return [
        f"{name} longer than {limit} characters"
        for name, limit in MAX_LENGTHS.items()
        if len(getattr(record, name, "")) > limit
    ]


def _parse_isco_groups(rows: Sequence[CsvRow], *, name: str, errors: list[str]) -> dict[str, IscoGroupRecord]:
    groups: dict[str, IscoGroupRecord] = {}
    for row in rows:
        record = IscoGroupRecord(code=row["code"], label=row["preferredLabel"], line=row.line)
        problems = _length_problems(record)
        if not (record.code.isdigit() and record.code.isascii() and 1 <= len(record.code) <= 4):
            problems.append(f"ISCO code {record.code!r} is not 1 to 4 digits")
        # A spreadsheet that turned "0110" into "110" would re-parent groups; the URI keeps the zeros.
        uri_code = _ISCO_URI.search(row["conceptUri"])
        if uri_code and uri_code.group(1) != record.code:
            problems.append(f"code {record.code!r} does not match conceptUri {row['conceptUri']!r}")
        if not record.label:
            problems.append("empty preferredLabel")
        if record.code in groups:
            problems.append(f"duplicate ISCO code {record.code!r} (first on line {groups[record.code].line})")
        errors.extend(f"{name}:{row.line}: {problem}" for problem in problems)
        groups.setdefault(record.code, record)
    return groups


class _Concept(Protocol):
    @property
    def uri(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def line(self) -> int: ...
    def problems(self) -> list[str]: ...


ConceptT = TypeVar("ConceptT", bound=_Concept)


def _parse_concepts(
    rows: Sequence[CsvRow], *, name: str, build: Callable[[CsvRow], ConceptT], errors: list[str]
) -> dict[str, ConceptT]:
    """Occupations or skills by URI; a bad row is reported but kept, so references to it do not cascade."""
    concepts: dict[str, ConceptT] = {}
    for row in rows:
        record = build(row)
        problems = _length_problems(record) + record.problems()
        if not record.uri:
            problems.append("empty conceptUri")
        if not record.label:
            problems.append("empty preferredLabel")
        if record.uri in concepts:
            problems.append(f"duplicate conceptUri (first on line {concepts[record.uri].line})")
        errors.extend(f"{name}:{row.line}: {problem}" for problem in problems)
        concepts.setdefault(record.uri, record)
    return concepts


def _occupation(row: CsvRow) -> OccupationRecord:
    return OccupationRecord(
        uri=row["conceptUri"],
        label=row["preferredLabel"],
        alt_labels=split_labels(row["altLabels"]),
        description=row["description"],
        status=row["status"] or "released",
        isco_code=row["iscoGroup"],
        esco_code=row["code"],  # v1.1 and later
        regulated_note=row["regulatedProfessionNote"],
        line=row.line,
    )


def _skill(row: CsvRow) -> SkillRecord:
    return SkillRecord(
        uri=row["conceptUri"],
        label=row["preferredLabel"],
        alt_labels=split_labels(row["altLabels"]),
        description=row["description"],
        status=row["status"] or "released",
        skill_type=row["skillType"],
        reuse_level=row["reuseLevel"],
        line=row.line,
    )


def _parse_translations(
    rows: Sequence[CsvRow], *, name: str, key_column: str, known: Mapping[str, object], errors: list[str]
) -> dict[str, Translation]:
    """Labels in one extra language; a concept missing here gets an empty label (English is the fallback)."""
    translations: dict[str, Translation] = {}
    for row in rows:
        key, label = row[key_column], row["preferredLabel"]
        if key not in known:
            errors.append(f"{name}:{row.line}: {key_column} {key!r} is not in the English file")
        elif key in translations:
            errors.append(f"{name}:{row.line}: duplicate {key_column} {key!r}")
        elif len(label) > MAX_LENGTHS["label"]:
            errors.append(f"{name}:{row.line}: label longer than {MAX_LENGTHS['label']} characters")
        else:
            translations[key] = Translation(label=label, alt_labels=split_labels(row["altLabels"]))
    return translations


def _parse_relations(
    rows: Sequence[CsvRow], *, name: str, errors: list[str]
) -> dict[tuple[str, str], RelationRecord]:
    relations: dict[tuple[str, str], RelationRecord] = {}
    for row in rows:
        record = RelationRecord(
            occupation_uri=row["occupationUri"],
            skill_uri=row["skillUri"],
            relation_type=row["relationType"],
            file=name,
            line=row.line,
        )
        problems = []
        if not record.occupation_uri or not record.skill_uri:
            problems.append("empty occupationUri or skillUri")
        if record.relation_type not in RELATION_TYPES:
            problems.append(
                f"relationType {record.relation_type!r} is not one of {', '.join(sorted(RELATION_TYPES))}"
            )
        # skillType repeats skills_xx.csv here (every version has it); another value means a damaged file.
        if row.has("skillType") and row["skillType"] not in SKILL_TYPES:
            problems.append(f"skillType {row['skillType']!r} is not one of {', '.join(sorted(SKILL_TYPES))}")
        previous = relations.get((record.occupation_uri, record.skill_uri))
        if previous is not None and previous.relation_type != record.relation_type:
            problems.append(f"same occupation and skill as line {previous.line} with another relationType")
        errors.extend(f"{name}:{row.line}: {problem}" for problem in problems)
        if not problems and previous is None:
            relations[(record.occupation_uri, record.skill_uri)] = record
    return relations


def read_esco_files(*, directory: Path, languages: Sequence[str]) -> EscoFiles:
    """Read and check the files of ``languages`` without touching the database; English is required."""
    files = EscoFiles()
    errors = files.errors
    if not directory.is_dir():
        errors.append(f"{directory}: not a directory")
    errors.extend(
        f"--languages: {language!r} is not supported (use {', '.join(SUPPORTED_LANGUAGES)})"
        for language in languages
        if language not in SUPPORTED_LANGUAGES
    )
    if "en" not in languages:
        errors.append("--languages: English (en) is required; labels in other languages fall back to it")
    if errors:
        files.unusable.update(FILE_STEMS)
        return files

    def read(kind: str, language: str, required: Iterable[str]) -> list[CsvRow]:
        rows = read_csv(
            path=directory / esco_file_name(kind=kind, language=language), required=required, errors=errors
        )
        if rows is None and language == "en":
            files.unusable.add(kind)
        return rows or []

    for kind in ("isco", "occupations", "skills"):
        if not (directory / esco_file_name(kind=kind)).is_file():
            errors.append(
                f"{esco_file_name(kind=kind)}: not found in {directory} (English files are required)"
            )
    if errors:
        files.unusable.update(FILE_STEMS)
        return files

    isco_rows = read("isco", "en", REQUIRED_COLUMNS["isco"])
    files.isco_groups = _parse_isco_groups(isco_rows, name=esco_file_name(kind="isco"), errors=errors)
    occupation_rows = read("occupations", "en", REQUIRED_COLUMNS["occupations"])
    files.occupations = _parse_concepts(
        occupation_rows, name=esco_file_name(kind="occupations"), build=_occupation, errors=errors
    )
    skill_rows = read("skills", "en", REQUIRED_COLUMNS["skills"])
    files.skills = _parse_concepts(
        skill_rows, name=esco_file_name(kind="skills"), build=_skill, errors=errors
    )
    files.languages = ["en"]

    known: dict[str, Mapping[str, object]] = {
        "isco": files.isco_groups,
        "occupations": files.occupations,
        "skills": files.skills,
    }
    for language in dict.fromkeys(lang for lang in languages if lang != "en"):
        for kind, key_column in (("isco", "code"), ("occupations", "conceptUri"), ("skills", "conceptUri")):
            name = esco_file_name(kind=kind, language=language)
            if kind in files.unusable:
                continue
            if not (directory / name).is_file():
                files.warnings.append(
                    f"{name}: not found; the {language} labels of {kind} are left unchanged"
                )
                continue
            rows = read(kind, language, TRANSLATION_COLUMNS["isco" if kind == "isco" else "concept"])
            files.translations.setdefault(kind, {})[language] = _parse_translations(
                rows, name=name, key_column=key_column, known=known[kind], errors=errors
            )
            if language not in files.languages:
                files.languages.append(language)

    # The relations are the same in every language (only v1.2's label columns differ): read them once.
    relation_files = [esco_file_name(kind="relations", language=language) for language in languages]
    relation_file = next((name for name in relation_files if (directory / name).is_file()), None)
    relation_rows = None
    if relation_file is None:
        errors.append(f"{relation_files[0]}: not found in {directory} (nor in the other languages)")
    else:
        relation_rows = read_csv(
            path=directory / relation_file, required=REQUIRED_COLUMNS["relations"], errors=errors
        )
        files.relations = _parse_relations(relation_rows or [], name=relation_file, errors=errors)
    if relation_rows is None:
        files.unusable.add("relations")
    return files
