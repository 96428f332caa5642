"""The export (right of access): every table that holds rows about the candidate is in it, row for row,
and the CSV form neutralises formulas."""

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from candidates.services.access_log import profile_access_record
from privacy import selectors
from privacy.export_formats import as_csv_zip, neutralise
from privacy.relations import candidate_relations
from tests.privacy.world import Touched, touch_everything
from tests.webhooks.receiver import Receiver

# Where each table's rows are in the export when it has a section of its own.
OWN_SECTIONS = {
    "recruitment.Placement": "cases",
    "recruitment.CandidateNote": "notes_about_you",
    "recruitment.Match": "matches",
    "candidates.Diploma": "diplomas",
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.mark.django_db
def test_every_table_about_the_candidate_is_exported_row_for_row(
    receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    world: Touched = touch_everything(receiver, django_capture_on_commit_callbacks)
    candidate = world.candidate
    data = selectors.candidate_data_export(candidate=candidate)
    checked = set()
    for relation in candidate_relations():
        model = relation.related_model
        label = model._meta.label
        rows = model._base_manager.filter(**{relation.field.name: candidate}).count()
        if label in selectors._NOT_EXPORTED or model._meta.auto_created or not rows:
            continue
        if label == "candidate_space.CandidateAccount":
            assert data["account"]["email"] == world.person.email
        elif label in OWN_SECTIONS:
            assert len(data[OWN_SECTIONS[label]]) == rows, label
        elif label in selectors._SECTION_NAMES:
            assert len(data[selectors._SECTION_NAMES[label]]) == rows, label
        else:
            assert len(data["other_records"][label]) == rows, label
        checked.add(label)
    # The world wrote rows in all of these (the check above is not vacuous).
    assert {
        "candidates.Consent",
        "candidates.LanguageProficiency",
        "candidates.ProfileAccess",
        "candidate_space.CorrectionRequest",
        "welcome.ReadReceipt",
        "recruitment.Placement",
        "recruitment.CandidateNote",
        "recruitment.Match",
        "privacy.RetentionReminder",
    } <= checked
    (held,) = [case for case in data["cases"] if case["case"] == str(world.held_case.public_id)]
    assert held["kept_under_legal_hold_if_erased"] is True
    assert [move["to"] for move in held["moves"]][-1] == "permit_filed"
    assert held["interviews"] and held["message_to_the_employer"].startswith(world.person.given_name)
    # Invited to an interview: the employer is named now.
    assert held["employer"] == world.vacancies[0].employer.name
    assert data["profile_views"][0]["viewer_kind"] == "staff"
    assert "viewer_user" not in data["profile_views"][0]


@pytest.mark.django_db
def test_an_employer_is_named_in_the_export_only_once_it_invited_the_candidate(
    receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    """As on the candidate's pages: the employer that declined them at the proposal never learnt who
    they are, so its view of their profile is in the export without its name."""
    world: Touched = touch_everything(receiver, django_capture_on_commit_callbacks)
    invited, declined = (vacancy.employer for vacancy in world.vacancies)
    for employer in (invited, declined):
        profile_access_record(
            candidate_ids=[world.candidate.pk], kind="employer", what="profile", organisation_id=employer.pk
        )
    data = selectors.candidate_data_export(candidate=world.candidate)
    views = [row["viewer_organisation"] for row in data["profile_views"] if row["viewer_kind"] == "employer"]
    assert invited.name in views
    assert declined.name not in views
    assert "An employer (named once it invites you)" in views
    # The consents name their recipients, as the consents page does: the candidate agreed to them.
    assert declined.name in [row["recipient"] for row in data["consents"]]


def test_a_formula_is_written_as_text() -> None:
    assert [neutralise(v) for v in ("=1+1", "+32 9 000", "-5", "@SUM(A1)", "\tx", "\rx", "plain", "")] == [
        "'=1+1",
        "'+32 9 000",
        "'-5",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "plain",
        "",
    ]


def test_nested_rows_become_tables_of_their_own() -> None:
    data = {
        "profile": {"name": "=cmd|' /C calc'!A0", "tags": ["a", "b"]},
        "cases": [
            {"case": "c1", "moves": [{"to": "proposed"}, {"to": "interview"}]},
            {"case": "c2", "moves": []},
        ],
        "other_records": {"welcome.ReadReceipt": [{"read_at": "2026-01-01"}]},
    }
    archive = zipfile.ZipFile(io.BytesIO(as_csv_zip(data)))
    tables = {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
    }
    assert tables["profile.csv"] == [
        {"field": "name", "value": "'=cmd|' /C calc'!A0"},
        {"field": "tags", "value": '["a", "b"]'},
    ]
    assert tables["cases.csv"] == [{"case": "c1"}, {"case": "c2"}]
    assert tables["cases__moves.csv"] == [
        {"cases_row": "1", "to": "proposed"},
        {"cases_row": "1", "to": "interview"},
    ]
    assert tables["other_records__welcome.ReadReceipt.csv"] == [{"read_at": "2026-01-01"}]
