"""The ESCO importer against small files written in the official CSV format (domain.md section 3.2).

The samples are built here rather than shipped as fixtures, so each test can bend one thing (a header,
a row, the encoding) and say in the test what it bent.
"""

import codecs
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from reference.models import EscoImport, EscoOccupation, EscoSkill, IscoGroup, OccupationSkillRelation

ESCO = "http://data.europa.eu/esco"
REGULATED = f"{ESCO}/regulated-professions/regulated"
UNREGULATED = f"{ESCO}/regulated-professions/unregulated"
NURSE = f"{ESCO}/occupation/00000000-0000-4000-8000-000000000001"
CARE_ASSISTANT = f"{ESCO}/occupation/00000000-0000-4000-8000-000000000002"
OFFICER = f"{ESCO}/occupation/00000000-0000-4000-8000-000000000003"
DUTCH = f"{ESCO}/skill/cad4f44b-28a8-4448-86e5-7389e5ebf3eb"  # "Dutch" (knowledge), a real ESCO URI
NURSING_CARE = f"{ESCO}/skill/00000000-0000-4000-8000-00000000000a"
HYGIENE = f"{ESCO}/skill/00000000-0000-4000-8000-00000000000b"
FIRST_AID = f"{ESCO}/skill/00000000-0000-4000-8000-00000000000c"

ISCO_HEADER = [
    "conceptType",
    "conceptUri",
    "code",
    "preferredLabel",
    "status",
    "altLabels",
    "inScheme",
    "description",
]
OCCUPATION_HEADER_V10 = [
    "conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "status",
    "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme", "description",
]  # fmt: skip
OCCUPATION_HEADERS = {
    "v1.0": OCCUPATION_HEADER_V10,
    "v1.1": [*OCCUPATION_HEADER_V10, "code"],
    "v1.2": [*OCCUPATION_HEADER_V10, "code", "naceCode"],
}
SKILL_HEADER = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
    "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description",
]  # fmt: skip
RELATION_HEADERS = {
    "v1.0": ["occupationUri", "relationType", "skillType", "skillUri"],
    "v1.1": ["occupationUri", "relationType", "skillType", "skillUri"],
    "v1.2": ["occupationUri", "occupationLabel", "relationType", "skillType", "skillUri", "skillLabel"],
}

ISCO_GROUPS = [  # code, en, nl, fr
    ("0", "Armed forces occupations", "Militaire beroepen", "Professions militaires"),
    ("01", "Commissioned armed forces officers", "Officieren", "Officiers des forces armées"),
    ("011", "Commissioned armed forces officers", "Officieren", "Officiers des forces armées"),
    ("0110", "Commissioned armed forces officers", "Officieren", "Officiers des forces armées"),
    ("2", "Professionals", "Intellectuele beroepen", "Professions intellectuelles"),
    ("22", "Health professionals", "Specialisten gezondheidszorg", "Spécialistes de la santé"),
    ("222", "Nursing and midwifery professionals", "Verpleegkundigen en vroedvrouwen", "Infirmiers"),
    ("2221", "Nursing professionals", "Verpleegkundigen", "Cadres infirmiers"),
    ("5", "Service and sales workers", "Dienstverlenend personeel", "Personnel des services"),
    ("53", "Personal care workers", "Verzorgend personeel", "Personnel soignant"),
    ("532", "Personal care workers in health services", "Zorgkundigen", "Aides-soignants"),
    ("5321", "Health care assistants", "Zorgkundigen", "Aides-soignants en institution"),
]
OCCUPATIONS: list[dict[str, Any]] = [
    {
        "uri": NURSE, "isco": "2221", "code": "2221.2", "note": REGULATED,
        "en": ("nurse responsible for general care", "general nurse\nregistered nurse\nstaff nurse"),
        "hidden": "hospital nurse\nward nurse",
        "nl": ("verpleegkundige verantwoordelijk voor algemene zorg", "verpleger\nverpleegster"),
        "fr": (
            "infirmier responsable des soins généraux/infirmière responsable des soins généraux",
            "infirmier en soins généraux\ninfirmière en soins généraux",
        ),
        "description": "Nurses responsible for general care promote and restore the health of people.",
    },
    {
        "uri": CARE_ASSISTANT, "isco": "5321", "code": "5321.1", "note": UNREGULATED,
        "en": ("healthcare assistant", "care assistant"), "hidden": "",
        "nl": ("zorgkundige", "zorgassistent"), "fr": ("aide-soignant/aide-soignante", ""),
        "description": "Healthcare assistants help nurses with the daily care of patients.",
    },
    {
        "uri": OFFICER, "isco": "0110", "code": "0110.1", "note": "",
        "en": ("armed forces officer", ""), "hidden": "",
        "nl": ("legerofficier", ""), "fr": ("officier des forces armées", ""),
        "description": "Armed forces officers lead units of the armed forces.",
    },
]  # fmt: skip
SKILLS = [  # uri, type, reuse level, en, nl, fr
    (DUTCH, "knowledge", "transversal", "Dutch", "Nederlands", "néerlandais"),
    (NURSING_CARE, "skill/competence", "occupation-specific", "provide nursing care",
     "verpleegkundige zorg verlenen", "prodiguer des soins infirmiers"),
    (HYGIENE, "skill/competence", "sector-specific", "assist patients with personal hygiene",
     "patiënten helpen bij persoonlijke hygiëne", "aider les patients pour leur hygiène"),
    (FIRST_AID, "skill/competence", "cross-sector", "apply first aid", "eerste hulp toedienen",
     "administrer les premiers secours"),
]  # fmt: skip
RELATIONS = [  # occupation, relation type, skill
    (NURSE, "essential", NURSING_CARE),
    (NURSE, "optional", DUTCH),
    (CARE_ASSISTANT, "essential", HYGIENE),
    (CARE_ASSISTANT, "optional", FIRST_AID),
    (OFFICER, "essential", FIRST_AID),
]

Files = dict[str, tuple[list[str], list[dict[str, str]]]]


def sample_files(*, version: str = "v1.2", languages: tuple[str, ...] = ("en", "nl", "fr")) -> Files:
    """File name -> (header, rows) in the official layout; rows may hold keys the header lacks."""
    files: Files = {}
    for language in languages:
        column = {"en": 1, "nl": 2, "fr": 3}[language]
        files[f"ISCOGroups_{language}.csv"] = (ISCO_HEADER, [
            {"conceptType": "ISCOGroup", "conceptUri": f"{ESCO}/isco/C{group[0]}", "code": group[0],
             "preferredLabel": group[column], "status": "released",
             "inScheme": f"{ESCO}/concept-scheme/occupations, {ESCO}/concept-scheme/isco"}
            for group in ISCO_GROUPS
        ])  # fmt: skip
        files[f"occupations_{language}.csv"] = (OCCUPATION_HEADERS[version], [
            {"conceptType": "Occupation", "conceptUri": occupation["uri"], "iscoGroup": occupation["isco"],
             "preferredLabel": occupation[language][0], "altLabels": occupation[language][1],
             "hiddenLabels": occupation["hidden"] if language == "en" else "", "status": "released",
             "modifiedDate": "2024-01-25T11:28:50.295Z", "regulatedProfessionNote": occupation["note"],
             "description": occupation["description"], "code": occupation["code"],
             "naceCode": "http://data.europa.eu/ux2/nace2.1/8610"}
            for occupation in OCCUPATIONS
        ])  # fmt: skip
        files[f"skills_{language}.csv"] = (SKILL_HEADER, [
            {"conceptType": "KnowledgeSkillCompetence", "conceptUri": uri, "skillType": skill_type,
             "reuseLevel": reuse_level, "preferredLabel": labels[column - 1], "status": "released",
             "description": f"Description of {labels[0]}."}
            for uri, skill_type, reuse_level, *labels in SKILLS
        ])  # fmt: skip
    skill_types = {uri: skill_type for uri, skill_type, *_ in SKILLS}
    files["occupationSkillRelations_en.csv"] = (RELATION_HEADERS[version], [
        {"occupationUri": occupation, "occupationLabel": "label", "relationType": relation_type,
         "skillType": skill_types[skill], "skillUri": skill, "skillLabel": "label"}
        for occupation, relation_type, skill in RELATIONS
    ])  # fmt: skip
    return files


def write_files(directory: Path, files: Files, *, bom: bool = False) -> Path:
    for name, (header, rows) in files.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (directory / name).write_bytes((codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode())
    return directory


def run_import(directory: Path, *, version: str = "v1.2.0", languages: str = "en,nl,fr") -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "import_esco", str(directory), version=version, languages=languages, stdout=stdout, stderr=stderr
    )
    return stdout.getvalue(), stderr.getvalue()


def import_error(directory: Path, **options: str) -> str:
    with pytest.raises(CommandError) as raised:
        run_import(directory, **options)
    return str(raised.value)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    tables: list[type[models.Model]] = [IscoGroup, EscoOccupation, EscoSkill, OccupationSkillRelation]
    return {model.__name__: list(model._default_manager.order_by("pk").values()) for model in tables}


def relation_types() -> dict[tuple[str, str], str]:
    return {
        (occupation, skill): relation_type
        for occupation, skill, relation_type in OccupationSkillRelation.objects.values_list(
            "occupation__uri", "skill__uri", "relation_type"
        )
    }


@pytest.mark.django_db
def test_clean_import_stores_groups_occupations_skills_and_relations(tmp_path: Path) -> None:
    stdout, stderr = run_import(write_files(tmp_path, sample_files()))

    assert "ESCO v1.2.0 imported (en, nl, fr)" in stdout
    assert stderr == ""
    assert IscoGroup.objects.count() == len(ISCO_GROUPS)
    armed_forces = IscoGroup.objects.get(code="0110")
    assert (armed_forces.level, armed_forces.parent_id, armed_forces.label_nl) == (4, "011", "Officieren")
    assert IscoGroup.objects.get(code="0").parent_id is None
    assert IscoGroup.objects.get(code="01").level == 2

    nurse = EscoOccupation.objects.get(uri=NURSE)
    assert nurse.isco_group_id == "2221"
    assert nurse.esco_code == "2221.2"
    assert nurse.label_en == "nurse responsible for general care"
    assert nurse.alt_labels_en == ["general nurse", "registered nurse", "staff nurse"]
    assert nurse.label_nl == "verpleegkundige verantwoordelijk voor algemene zorg"
    assert nurse.alt_labels_nl == ["verpleger", "verpleegster"]
    assert nurse.label_fr.startswith("infirmier responsable des soins généraux/infirmière")
    assert nurse.alt_labels_fr == ["infirmier en soins généraux", "infirmière en soins généraux"]
    assert nurse.description_en.startswith("Nurses responsible for general care")
    assert (nurse.is_regulated, nurse.regulated_profession_note) == (True, REGULATED)
    assert nurse.status == "released"
    assistant = EscoOccupation.objects.get(uri=CARE_ASSISTANT)
    assert (assistant.is_regulated, assistant.regulated_profession_note) == (False, UNREGULATED)
    assert EscoOccupation.objects.get(uri=OFFICER).isco_group_id == "0110"

    dutch = EscoSkill.objects.get(uri=DUTCH)
    assert (dutch.skill_type, dutch.reuse_level, dutch.label_nl, dutch.label_fr) == (
        "knowledge", "transversal", "Nederlands", "néerlandais",
    )  # fmt: skip
    assert relation_types() == {(occupation, skill): kind for occupation, kind, skill in RELATIONS}
    assert set(EscoOccupation.objects.values_list("esco_version", flat=True)) == {"v1.2.0"}
    assert set(EscoSkill.objects.values_list("esco_version", flat=True)) == {"v1.2.0"}

    record = EscoImport.objects.get()
    assert (record.esco_version, record.languages) == ("v1.2.0", ["en", "nl", "fr"])
    assert (record.isco_groups, record.occupations, record.skills, record.relations) == (12, 3, 4, 5)


@pytest.mark.django_db
def test_reimporting_the_same_files_changes_nothing(tmp_path: Path) -> None:
    directory = write_files(tmp_path, sample_files())
    run_import(directory)
    before = snapshot()

    stdout, _ = run_import(directory)

    assert snapshot() == before
    assert stdout.count("0 created, 0 updated") == 4
    assert EscoImport.objects.count() == 2
    first, second = EscoImport.objects.order_by("pk")
    counts = ("isco_groups", "occupations", "skills", "relations")
    assert [getattr(first, name) for name in counts] == [getattr(second, name) for name in counts]


@pytest.mark.django_db
@pytest.mark.parametrize(("version", "esco_code"), [("v1.0", ""), ("v1.1", "2221.2"), ("v1.2", "2221.2")])
def test_each_published_header_variant_imports(tmp_path: Path, version: str, esco_code: str) -> None:
    run_import(write_files(tmp_path, sample_files(version=version)), version=f"{version}.0")

    nurse = EscoOccupation.objects.get(uri=NURSE)
    assert nurse.esco_code == esco_code
    assert nurse.esco_version == f"{version}.0"
    assert OccupationSkillRelation.objects.count() == len(RELATIONS)


@pytest.mark.django_db
def test_a_newer_release_updates_the_version_and_code_in_place(tmp_path: Path) -> None:
    (tmp_path / "v10").mkdir()
    (tmp_path / "v12").mkdir()
    run_import(write_files(tmp_path / "v10", sample_files(version="v1.0")), version="v1.0.0")
    nurse_id = EscoOccupation.objects.get(uri=NURSE).pk

    stdout, _ = run_import(write_files(tmp_path / "v12", sample_files(version="v1.2")), version="v1.2.0")

    nurse = EscoOccupation.objects.get(uri=NURSE)
    assert (nurse.pk, nurse.esco_code, nurse.esco_version) == (nurse_id, "2221.2", "v1.2.0")
    assert "occupations: 0 created, 3 updated" in stdout
    assert EscoOccupation.objects.count() == 3


@pytest.mark.django_db
def test_columns_are_found_by_name_in_any_order(tmp_path: Path) -> None:
    files = {name: (header[::-1], rows) for name, (header, rows) in sample_files().items()}

    run_import(write_files(tmp_path, files))

    nurse = EscoOccupation.objects.get(uri=NURSE)
    assert (nurse.isco_group_id, nurse.label_en, nurse.esco_code) == (
        "2221", "nurse responsible for general care", "2221.2",
    )  # fmt: skip
    assert nurse.alt_labels_nl == ["verpleger", "verpleegster"]
    assert relation_types()[(NURSE, DUTCH)] == "optional"


@pytest.mark.django_db
def test_a_missing_required_column_names_the_file_and_the_column(tmp_path: Path) -> None:
    files = sample_files()
    header, rows = files["occupations_en.csv"]
    files["occupations_en.csv"] = ([column for column in header if column != "iscoGroup"], rows)

    message = import_error(write_files(tmp_path, files))

    assert "occupations_en.csv:1: missing required column(s): iscoGroup" in message
    assert snapshot() == {
        "IscoGroup": [],
        "EscoOccupation": [],
        "EscoSkill": [],
        "OccupationSkillRelation": [],
    }
    assert not EscoImport.objects.exists()


@pytest.mark.django_db
def test_broken_rows_are_reported_by_file_and_line_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    run_import(write_files(tmp_path / "good", sample_files()))
    before = snapshot()
    files = sample_files()
    files["occupations_en.csv"][1][1]["iscoGroup"] = "9999"  # the care assistant
    files["occupationSkillRelations_en.csv"][1][3]["relationType"] = "mandatory"

    message = import_error(write_files(tmp_path / "bad", files))

    # The nurse's alternative and hidden labels hold three newlines (lines 2-5): the care assistant is on 6.
    assert "occupations_en.csv:6: ISCO unit group '9999' not found" in message
    assert (
        "occupationSkillRelations_en.csv:5: relationType 'mandatory' is not one of essential, optional"
        in message
    )
    assert "nothing was written (2 error(s))" in message
    assert snapshot() == before
    assert EscoImport.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_name", "index", "column", "value", "expected"),
    [
        ("ISCOGroups_en.csv", 3, "code", "1110", "ISCOGroups_en.csv:5: parent group '111' of '1110' not"),
        ("ISCOGroups_en.csv", 3, "code", "110", "ISCOGroups_en.csv:5: code '110' does not match conceptUri"),
        ("occupations_en.csv", 2, "iscoGroup", "011", "iscoGroup '011' is not a four-digit ISCO unit group"),
        ("skills_en.csv", 0, "skillType", "language", "skills_en.csv:2: skillType 'language' is not one of"),
        ("skills_en.csv", 1, "conceptUri", DUTCH, "skills_en.csv:3: duplicate conceptUri (first on line 2)"),
        ("occupationSkillRelations_en.csv", 0, "skillUri", f"{ESCO}/skill/unknown",
         f"occupationSkillRelations_en.csv:2: skill '{ESCO}/skill/unknown' not found"),
        ("occupations_nl.csv", 0, "conceptUri", f"{ESCO}/occupation/unknown",
         f"occupations_nl.csv:2: conceptUri '{ESCO}/occupation/unknown' is not in the English file"),
    ],
)  # fmt: skip
def test_each_kind_of_broken_row_is_refused(
    tmp_path: Path, file_name: str, index: int, column: str, value: str, expected: str
) -> None:
    files = sample_files()
    files[file_name][1][index][column] = value

    message = import_error(write_files(tmp_path, files))

    assert expected in message
    assert not IscoGroup.objects.exists()
    assert not EscoImport.objects.exists()


@pytest.mark.django_db
def test_the_command_shows_the_first_twenty_errors_and_counts_the_rest(tmp_path: Path) -> None:
    files = sample_files()
    relations = files["occupationSkillRelations_en.csv"][1]
    relations[:] = [{**relations[0], "relationType": f"kind {number}"} for number in range(25)]

    message = import_error(write_files(tmp_path, files))

    assert "(25 error(s))" in message
    assert "occupationSkillRelations_en.csv:21: relationType 'kind 19'" in message
    assert "kind 20" not in message
    assert message.endswith("... and 5 more")


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_with_its_name_and_line(tmp_path: Path) -> None:
    directory = write_files(tmp_path, sample_files())
    text = (directory / "skills_nl.csv").read_text(encoding="utf-8")
    (directory / "skills_nl.csv").write_bytes(text.encode("latin-1"))  # as a spreadsheet might re-save it

    message = import_error(directory)

    # "patiënten" is on the third skill, the fourth line of the file.
    assert "skills_nl.csv:4: not valid UTF-8 (byte 0xeb)" in message
    assert not EscoSkill.objects.exists()


@pytest.mark.django_db
def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    # The relations file starts with a required column, so a BOM left in the header would hide it.
    run_import(write_files(tmp_path, sample_files(), bom=True))

    assert EscoOccupation.objects.get(uri=NURSE).label_nl.startswith("verpleegkundige")
    assert OccupationSkillRelation.objects.count() == len(RELATIONS)


@pytest.mark.django_db
def test_relations_follow_the_file_on_reimport(tmp_path: Path) -> None:
    run_import(write_files(tmp_path, sample_files()))
    files = sample_files()
    relations = files["occupationSkillRelations_en.csv"][1]
    files["occupationSkillRelations_en.csv"][1][:] = [r for r in relations if r["skillUri"] != DUTCH]
    relations[0]["relationType"] = "optional"  # the nurse's nursing care, retyped

    stdout, _ = run_import(write_files(tmp_path, files))

    assert relation_types() == {
        (NURSE, NURSING_CARE): "optional",
        (CARE_ASSISTANT, HYGIENE): "essential",
        (CARE_ASSISTANT, FIRST_AID): "optional",
        (OFFICER, FIRST_AID): "essential",
    }
    assert "relations: 0 created, 1 updated, 3 unchanged, 1 deleted" in stdout
    assert EscoSkill.objects.filter(uri=DUTCH).exists()  # the skill itself stays


@pytest.mark.django_db
def test_a_missing_language_file_warns_and_keeps_the_stored_labels(tmp_path: Path) -> None:
    (tmp_path / "all").mkdir()
    (tmp_path / "en_fr").mkdir()
    run_import(write_files(tmp_path / "all", sample_files()))

    _, stderr = run_import(write_files(tmp_path / "en_fr", sample_files(languages=("en", "fr"))))

    assert "occupations_nl.csv: not found; the nl labels of occupations are left unchanged" in stderr
    nurse = EscoOccupation.objects.get(uri=NURSE)
    assert nurse.label_nl == "verpleegkundige verantwoordelijk voor algemene zorg"
    assert EscoImport.objects.order_by("pk").last().languages == ["en", "fr"]  # type: ignore[union-attr]


@pytest.mark.django_db
def test_relations_are_read_from_the_first_language_that_has_them(tmp_path: Path) -> None:
    directory = write_files(tmp_path, sample_files())
    (directory / "occupationSkillRelations_en.csv").rename(directory / "occupationSkillRelations_nl.csv")

    run_import(directory)

    assert OccupationSkillRelation.objects.count() == len(RELATIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("languages", "expected"),
    [("nl,fr", "English (en) is required"), ("en,de", "'de' is not supported")],
)
def test_languages_must_include_english_and_be_supported(
    tmp_path: Path, languages: str, expected: str
) -> None:
    message = import_error(write_files(tmp_path, sample_files()), languages=languages)

    assert expected in message


@pytest.mark.django_db
def test_a_missing_english_file_is_named(tmp_path: Path) -> None:
    directory = write_files(tmp_path, sample_files())
    (directory / "skills_en.csv").unlink()

    assert "skills_en.csv: not found in" in import_error(directory)
