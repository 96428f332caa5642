"""Candidates from a partner agency's spreadsheet: through the API's upsert, idempotent by reference,
scoped to the agency's own references and projects."""

import datetime

from django.utils import translation

from candidates.models import Candidate
from imports.models import ImportJob
from tests import factories
from tests.imports.world import (
    CANDIDATE_HEADERS_EN,
    CANDIDATE_HEADERS_NL,
    candidate_row,
    csv_bytes,
    upload,
    xlsx_bytes,
)


def test_a_clean_csv_creates_the_candidates_and_deletes_the_file(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.partner_user)
    content = csv_bytes(CANDIDATE_HEADERS_EN, [candidate_row("A-1"), candidate_row("A-2")])
    job = upload(client, "partner", "candidates", content, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert job.problems == []
    assert (job.created, job.updated, job.total, job.done) == (2, 0, 2, 2)
    assert job.content is None  # the upload's bytes are gone once the import finished
    stored = Candidate.objects.get(registered_by=iworld.partner, external_id="A-1")
    assert stored.date_of_birth == datetime.date(1996, 5, 17)
    assert stored.project == iworld.project
    assert stored.nationalities == ["MA"]


def test_a_second_upload_updates_and_never_duplicates(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.partner_user)
    upload(
        client,
        "partner",
        "candidates",
        csv_bytes(CANDIDATE_HEADERS_EN, [candidate_row("A-1")]),
        django_capture_on_commit_callbacks,
    )
    again = csv_bytes(CANDIDATE_HEADERS_EN, [candidate_row("A-1", given_name="Fatima"), candidate_row("A-2")])
    job = upload(client, "partner", "candidates", again, django_capture_on_commit_callbacks)
    assert (job.created, job.updated, job.unchanged) == (1, 1, 0)
    assert Candidate.objects.filter(registered_by=iworld.partner).count() == 2
    assert Candidate.objects.get(registered_by=iworld.partner, external_id="A-1").given_name == "Fatima"
    same = upload(client, "partner", "candidates", again, django_capture_on_commit_callbacks)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 2)


def test_another_organisations_reference_never_touches_their_candidate(
    iworld, django_capture_on_commit_callbacks
):
    theirs = factories.CandidateFactory.create(
        registered_by=iworld.other_partner, external_id="SHARED-1", given_name="Theirs"
    )
    client = iworld.client_for(iworld.partner_user)
    job = upload(
        client,
        "partner",
        "candidates",
        csv_bytes(CANDIDATE_HEADERS_EN, [candidate_row("SHARED-1", given_name="Ours")]),
        django_capture_on_commit_callbacks,
    )
    assert job.created == 1 and job.updated == 0  # our own new candidate: nothing about theirs is told
    theirs.refresh_from_db()
    assert theirs.given_name == "Theirs"
    assert Candidate.objects.get(registered_by=iworld.partner, external_id="SHARED-1").given_name == "Ours"


def test_a_project_the_agency_takes_no_part_in_is_refused_like_an_unknown_one(
    iworld, django_capture_on_commit_callbacks
):
    factories.ProjectFactory.create(code="aurora")  # exists, but agency A is not a partner in it
    client = iworld.client_for(iworld.partner_user)
    rows = [
        candidate_row("A-1"),
        candidate_row("A-2", project="aurora"),
        candidate_row("A-3", project="nope"),
    ]
    job = upload(
        client,
        "partner",
        "candidates",
        csv_bytes(CANDIDATE_HEADERS_EN, rows),
        django_capture_on_commit_callbacks,
    )
    assert [(p["row"], p["column"]) for p in job.problems] == [(3, "Project (code)"), (4, "Project (code)")]
    assert job.problems[0]["message"] == job.problems[1]["message"]  # no hint that "aurora" exists
    assert not Candidate.objects.filter(registered_by=iworld.partner).exists()  # nothing written


def test_a_recruiter_imports_an_xlsx_with_dutch_headers_and_typed_dates(
    iworld, django_capture_on_commit_callbacks
):
    client = iworld.client_for(iworld.recruiter)
    row: list[object] = [*candidate_row("R-1")]
    row[3] = datetime.datetime(1990, 1, 31)  # XLSX keeps a date typed
    job = upload(
        client,
        "recruiter",
        "candidates",
        xlsx_bytes(CANDIDATE_HEADERS_NL, [row]),
        django_capture_on_commit_callbacks,
        name="kandidaten.xlsx",
        lang="nl",
    )
    assert job.problems == [] and job.created == 1
    candidate = Candidate.objects.get(external_id="R-1")
    assert candidate.registered_by == iworld.recruiter.organisation
    assert candidate.date_of_birth == datetime.date(1990, 1, 31)


def test_the_report_is_in_the_uploaders_language(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.partner_user)
    rows = [candidate_row("A-1", date_of_birth="31/02/1990")]
    job = upload(
        client,
        "partner",
        "candidates",
        csv_bytes(CANDIDATE_HEADERS_NL, rows),
        django_capture_on_commit_callbacks,
        lang="fr",
    )
    assert job.language == "fr"
    with translation.override("fr"):
        from django.utils.translation import gettext

        expected = gettext("Not a date: write it as day/month/year, e.g. 31/12/2026.")
    assert job.problems == [{"row": 2, "column": "Geboortedatum", "message": expected}]


def test_a_column_the_file_lacks_keeps_what_is_stored_and_an_empty_cell_empties_it(
    iworld, django_capture_on_commit_callbacks
):
    """A partner's sheet of the required columns only must not erase the e-mail, phone and project
    recorded before; a column that is there with an empty cell does empty its field."""
    client = iworld.client_for(iworld.partner_user)
    headers = [*CANDIDATE_HEADERS_EN, "E-mail", "Phone"]
    first = [[*candidate_row("A-1"), "amina@example.org", "+212600000001"]]
    upload(client, "partner", "candidates", csv_bytes(headers, first), django_capture_on_commit_callbacks)

    # The required columns only: no project, e-mail or phone.
    required_only = csv_bytes(CANDIDATE_HEADERS_EN[:6], [candidate_row("A-1", given_name="Amina B.")[:6]])
    job = upload(client, "partner", "candidates", required_only, django_capture_on_commit_callbacks)
    assert job.problems == [] and job.updated == 1
    stored = Candidate.objects.get(registered_by=iworld.partner, external_id="A-1")
    assert stored.given_name == "Amina B."
    assert (stored.email, stored.phone) == ("amina@example.org", "+212600000001")
    assert stored.project == iworld.project and stored.date_of_birth == datetime.date(1996, 5, 17)

    emptied = [[*candidate_row("A-1"), "", "+212600000001"]]
    upload(client, "partner", "candidates", csv_bytes(headers, emptied), django_capture_on_commit_callbacks)
    stored.refresh_from_db()
    assert stored.email == "" and stored.phone == "+212600000001"


def test_a_row_of_a_merged_or_erased_candidate_says_to_remove_it(iworld, django_capture_on_commit_callbacks):
    """After a duplicate merge the merged-away record is anonymised; the partner's usual sheet still
    names it. Its row is refused with what to do, and the rest of the file is not written."""
    factories.CandidateFactory.create(
        registered_by=iworld.partner, external_id="OLD-1", status=Candidate.Status.ANONYMISED
    )
    # Another organisation's anonymised candidate with the same reference is none of this file's business.
    factories.CandidateFactory.create(
        registered_by=iworld.other_partner, external_id="A-2", status=Candidate.Status.ANONYMISED
    )
    client = iworld.client_for(iworld.partner_user)
    content = csv_bytes(CANDIDATE_HEADERS_EN, [candidate_row("OLD-1"), candidate_row("A-2")])
    job = upload(client, "partner", "candidates", content, django_capture_on_commit_callbacks)
    assert [(p["row"], p["column"], p["message"]) for p in job.problems] == [
        (2, "Reference", "This candidate's record was merged or erased: remove this row.")
    ]
    assert not Candidate.objects.filter(registered_by=iworld.partner, external_id="A-2").exists()
