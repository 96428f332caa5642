"""The shipped reference data: loads idempotently and says what the domain documents say."""

import datetime
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from core.models import Organisation
from projects.models import Cohort, FunnelRecord, Project, ProjectFunding, ProjectPartner, TrainingProgramme
from projects.reference_data import reference_projects_load
from reference.fixtures_loader import (
    CURATED_ESCO_VERSION,
    CURATED_SKILL_NAMESPACE,
    DATA_DIR,
    ReferenceDataError,
    reference_data_load,
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

pytestmark = pytest.mark.django_db

OCCUPATION = "http://data.europa.eu/esco/occupation/"
TRUCK_DRIVER = OCCUPATION + "45037d43-a8f5-4f46-b332-b2935bc305f4"
ROOFER = OCCUPATION + "b4c6d1b0-929e-48be-9f67-47bd8c30658b"
ICT_NETWORK_TECHNICIAN = OCCUPATION + "64c7d461-152c-477f-a8e2-c2c537e9d617"
NURSE = OCCUPATION + "8d3e8aaa-791b-4c75-a465-f3f827028f50"
HEALTHCARE_ASSISTANT = OCCUPATION + "d38c2107-98f2-47b7-8bb4-f69750d51082"

MODELS: list[type[models.Model]] = [
    IscoGroup,
    EscoOccupation,
    EscoSkill,
    OccupationSkillRelation,
    ShortageList,
    ShortageListEntry,
    ShortageListOccupation,
    SalaryThreshold,
    QualificationLevelEquivalence,
    Organisation,
    Project,
    ProjectPartner,
    ProjectFunding,
    Cohort,
    TrainingProgramme,
    FunnelRecord,
]


def _load() -> str:
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded() -> None:
    _load()


def _on_migration_list(uri: str, day: datetime.date) -> bool:
    return (
        ShortageList.objects.valid_on(day)
        .filter(kind=ShortageList.Kind.MIGRATION_MEDIUM_SKILLED, entries__occupations__uri=uri)
        .exists()
    )


def _migration_entry(valid_from: str, title_nl: str) -> ShortageListEntry:
    return ShortageListEntry.objects.get(
        shortage_list__kind=ShortageList.Kind.MIGRATION_MEDIUM_SKILLED,
        shortage_list__valid_from=valid_from,
        title_nl=title_nl,
    )


def _threshold(category: str, day: datetime.date) -> Decimal:
    return SalaryThreshold.objects.valid_on(day).get(region="VLG", category=category).annual_gross_eur


def test_loading_twice_writes_nothing_the_second_time() -> None:
    first = _load()
    counts = {model.__name__: model._default_manager.count() for model in MODELS}
    second_reference = reference_data_load()
    second_projects = reference_projects_load()

    assert "created 40" in first  # the occupations line
    assert second_reference.writes == 0, second_reference.lines()
    assert second_projects.writes == 0, second_projects.lines()
    assert {model.__name__: model._default_manager.count() for model in MODELS} == counts
    assert all(count > 0 for count in counts.values()), counts


def test_seed_occupations_and_their_isco_chain(loaded: None) -> None:
    assert EscoOccupation.objects.count() == 32 + 8
    assert EscoOccupation.objects.filter(esco_version="v1.2.0").count() == 40
    nurse = EscoOccupation.objects.get(uri=NURSE)
    assert nurse.is_regulated
    assert "verpleegkundige" in nurse.alt_labels_nl
    assert EscoOccupation.objects.get(uri=HEALTHCARE_ASSISTANT).alt_labels_nl == ["zorgkundige"]

    chain = []
    group: IscoGroup | None = IscoGroup.objects.get(code="2221")
    while group is not None:
        chain.append((group.code, group.level))
        group = group.parent
    assert chain == [("2221", 4), ("222", 3), ("22", 2), ("2", 1)]
    assert IscoGroup.objects.filter(level=1).count() == 10


def test_truck_driver_left_the_migration_list_in_2026(loaded: None) -> None:
    assert _on_migration_list(TRUCK_DRIVER, datetime.date(2024, 6, 1))
    assert not _on_migration_list(TRUCK_DRIVER, datetime.date(2026, 6, 1))
    assert ShortageListEntry.objects.get(
        shortage_list__valid_from="2023-09-01", occupations__uri=TRUCK_DRIVER
    ).verified


def test_roofer_and_network_technician_joined_in_2026(loaded: None) -> None:
    for uri in (ROOFER, ICT_NETWORK_TECHNICIAN):
        assert not _on_migration_list(uri, datetime.date(2024, 6, 1))
        assert _on_migration_list(uri, datetime.date(2026, 6, 1))
    link = ShortageListOccupation.objects.get(
        entry__shortage_list__kind=ShortageList.Kind.MIGRATION_MEDIUM_SKILLED,
        entry__shortage_list__valid_from="2026-01-01",
        occupation__uri=ICT_NETWORK_TECHNICIAN,
    )
    assert link.entry.title_nl == "installateur datacommunicatienetwerken"
    assert link.entry.verified
    assert link.fit == ShortageListOccupation.Fit.APPROXIMATE


def test_unverified_2026_entries_are_flagged(loaded: None) -> None:
    entry = _migration_entry("2026-01-01", "zorgkundige")
    assert not entry.verified
    assert "M26 ?" in entry.notes
    vdab = ShortageList.objects.get(kind=ShortageList.Kind.VDAB_SHORTAGE)
    assert "at least one recent year" in vdab.notes
    assert not vdab.entries.filter(verified=True).exists()


def test_salary_thresholds_by_date(loaded: None) -> None:
    hs, blue_card = SalaryThreshold.Category.HIGHLY_SKILLED, SalaryThreshold.Category.EU_BLUE_CARD
    assert _threshold(hs, datetime.date(2025, 6, 1)) == Decimal("48912")
    assert _threshold(blue_card, datetime.date(2024, 3, 1)) == Decimal("55958")
    assert _threshold(blue_card, datetime.date(2024, 6, 1)) == Decimal("60621.60")
    assert not SalaryThreshold.objects.filter(valid_from=datetime.date(2026, 1, 1), confirmed=True).exists()
    assert not SalaryThreshold.objects.get(
        category=SalaryThreshold.Category.MANAGER, valid_from="2023-01-01"
    ).confirmed
    # 2019 has no reduced rate in the sources: no row rather than a guess.
    assert not SalaryThreshold.objects.filter(
        category=SalaryThreshold.Category.HIGHLY_SKILLED_REDUCED, valid_from__year=2019
    ).exists()


def test_qualification_crosswalk(loaded: None) -> None:
    isced3 = QualificationLevelEquivalence.objects.get(isced_level=3)
    assert (isced3.vks_min, isced3.vks_max) == (3, 4)
    assert QualificationLevelEquivalence.objects.get(isced_level=5).vks_min == 5


def test_curated_skills_are_not_passed_off_as_esco(loaded: None) -> None:
    curated = EscoSkill.objects.filter(esco_version=CURATED_ESCO_VERSION)
    assert curated.count() >= 50
    assert not curated.exclude(uri__startswith=CURATED_SKILL_NAMESPACE).exists()
    assert set(
        EscoSkill.objects.exclude(esco_version=CURATED_ESCO_VERSION).values_list("uri", flat=True)
    ) == {
        "http://data.europa.eu/esco/skill/" + suffix
        for suffix in (
            "cad4f44b-28a8-4448-86e5-7389e5ebf3eb",
            "347d33a8-3698-4549-a7de-722a0216ee40",
            "96ab25a3-c89b-43ea-833b-26b637c3b6ed",
            "c44b765b-76fb-4a16-be7e-9925beee072c",
            "e35cfb6e-ea8e-4aef-aab9-3cbc7d79647b",
            "e747e77e-0ea1-4001-8b07-1d11946b5f1b",
        )
    }
    # Every seed occupation has something to match on.
    assert not EscoOccupation.objects.filter(skill_relations__isnull=True).exists()
    assert (
        OccupationSkillRelation.objects.filter(occupation__uri=NURSE, relation_type="essential").count() >= 5
    )


def test_reference_projects(loaded: None) -> None:
    palim = Project.objects.get(code="palim")
    applied = palim.funnel_records.get(stage=FunnelRecord.Stage.APPLIED)
    assert (applied.count, applied.verified) == (9677, True)
    assert not palim.funnel_records.get(stage=FunnelRecord.Stage.TESTED).verified
    assert palim.funnel_records.get(stage=FunnelRecord.Stage.COMPLETED_TRAINING).count == 116
    shares = dict(palim.fundings.values_list("funder_organisation__short_name", "share_percent"))
    assert shares == {"ICMPD": Decimal("95"), "Enabel": Decimal("5")}

    aurora = Project.objects.get(code="aurora")
    assert aurora.target_occupations.filter(uri=NURSE).exists()
    assert aurora.target_occupations.filter(uri=HEALTHCARE_ASSISTANT).exists()
    programme = aurora.programmes.get(in_country_of_origin=True)
    assert (programme.duration_months, programme.dutch_target_level, programme.dutch_target_nt2) == (
        6,
        "B1",
        "2.4",
    )
    arrived = aurora.funnel_records.get(stage=FunnelRecord.Stage.ARRIVED)
    assert (arrived.count, arrived.as_of) == (22, datetime.date(2022, 3, 13))
    assert arrived.cohort is not None and arrived.cohort.starts_on.year == 2022

    # Where sources disagree, both figures are kept.
    tunisia = Project.objects.get(code="iom-be-tn-internships")
    placed = dict(
        tunisia.funnel_records.filter(stage=FunnelRecord.Stage.PLACED).values_list("count", "verified")
    )
    assert placed == {31: True, 38: False}
    assert (
        Project.objects.get(code="thamm").fundings.get(funder__startswith="EU Emergency").amount_eur
        == 20_000_000
    )

    vdab = Organisation.objects.get(short_name="VDAB")
    assert (vdab.kind, vdab.country, vdab.enterprise_number) == (Organisation.Kind.PES, "BE", "")
    assert not Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, country="BE", region="").exists()


def test_an_operator_confirmation_survives_a_reload(loaded: None) -> None:
    threshold = SalaryThreshold.objects.get(
        category=SalaryThreshold.Category.HIGHLY_SKILLED, valid_from="2026-01-01"
    )
    threshold.annual_gross_eur, threshold.confirmed = Decimal("50000"), True
    threshold.save()
    entry = _migration_entry("2026-01-01", "zorgkundige")
    entry.verified = True
    entry.save()

    summary = reference_data_load()

    threshold.refresh_from_db()
    entry.refresh_from_db()
    assert (threshold.annual_gross_eur, threshold.confirmed, entry.verified) == (Decimal("50000"), True, True)
    assert summary["salary_thresholds"].kept == 1


def test_after_an_official_esco_import_the_seed_only_fills_gaps(loaded: None) -> None:
    EscoImport.objects.create(esco_version="v1.2.0", source="test")
    EscoOccupation.objects.filter(uri=NURSE).update(
        label_fr="infirmier (officiel)", alt_labels_nl=["officieel"]
    )

    reference_data_load()

    nurse = EscoOccupation.objects.get(uri=NURSE)
    assert nurse.label_fr == "infirmier (officiel)"
    assert nurse.alt_labels_nl == ["officieel", "verpleegkundige"]


def test_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = data_dir / "shortage_occupations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("M26+", "M27+", 1), encoding="utf-8")

    with pytest.raises(ReferenceDataError, match="unknown list status 'M27\\+'"):
        reference_data_load(data_dir=data_dir)
    with pytest.raises(CommandError):
        call_command("load_reference_data", data_dir=data_dir, stdout=StringIO())
    assert not IscoGroup.objects.exists()
