"""The data rights pages: the candidate's (/me/data/: download, restriction, erasure) and the staff's
(/recruiter/privacy/: the requests, execute, refuse). Denials change nothing; bad input is a clear
error in the page's language with nothing written."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from candidates.models import Candidate, CandidateRestriction
from candidates.services.access_log import profile_access_record
from core.models import User
from privacy.models import ErasureRequest
from privacy.services import erasure_request_create
from recruitment.services.notes import candidate_note_add
from tests.candidate_space.world import candidate_client, other_candidate
from tests.web.world import WebWorld, build_web_world, recruiter_user, verified_client

pytestmark = pytest.mark.django_db

DATA = "/en/me/data/"
STAFF = "/en/recruiter/privacy/"


@pytest.fixture
def world() -> WebWorld:
    return build_web_world()


@pytest.fixture
def me(world: WebWorld) -> Client:
    return candidate_client(world.candidate)


def _officer() -> Client:
    return verified_client(recruiter_user(is_superuser=True))


# --- The candidate's page ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_page_opens_in_each_language(me: Client, language: str) -> None:
    response = me.get(f"/{language}/me/data/")
    assert response.status_code == 200
    assert f'href="/{language}/me/data/download/json/"' in response.content.decode()


def test_the_json_download_holds_everything_and_nothing_of_anyone_else(me: Client, world: WebWorld) -> None:
    candidate_note_add(
        candidate=world.candidate, author=world.recruiter, body="Very motivated, asks about housing"
    )
    other = other_candidate(family_name="Otherperson")
    candidate_note_add(candidate=other, author=world.recruiter, body="Note about somebody else")
    response = me.get(f"{DATA}download/json/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="talentbrug-my-data-')
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["family_name"] == world.candidate.family_name
    assert data["profile"]["email"] == world.candidate.email
    assert [note["note"] for note in data["notes_about_you"]] == ["Very motivated, asks about housing"]
    assert all("author" not in note for note in data["notes_about_you"])
    assert data["consents"] and all(
        consent["text_version"] and consent["wording"] for consent in data["consents"]
    )
    (case,) = data["cases"]
    assert case["stage"] == "proposed"
    # Proposed, not invited yet: the employer is not named (as on the candidate's cases page).
    assert case["employer"] != world.employer_a.name and world.employer_a.name not in json.dumps(case)
    assert data["matches"] and {"vacancy", "outcome", "score", "unmet_conditions"} <= set(data["matches"][0])
    text = response.content.decode()
    assert "Otherperson" not in text and "somebody else" not in text
    assert world.recruiter.username not in text  # people are named by their organisation only


def test_the_csv_download_is_a_zip_of_tables_with_formulas_neutralised(me: Client, world: WebWorld) -> None:
    candidate_note_add(
        candidate=world.candidate, author=world.recruiter, body='=HYPERLINK("http://x.test","click")'
    )
    response = me.get(f"{DATA}download/csv/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"profile.csv", "cases.csv", "cases__moves.csv", "notes_about_you.csv", "consents.csv"} <= names
    notes = archive.read("notes_about_you.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in notes and ',"=HYPERLINK' not in notes and ",=HYPERLINK" not in notes


def test_restricting_needs_a_confirmation_then_takes_effect(me: Client, world: WebWorld) -> None:
    refused = me.post(f"{DATA}restrict/", {"note": "my profile is wrong"})
    assert refused.status_code == 400
    assert "Tick the box to confirm." in refused.content.decode()
    assert Candidate.objects.get(pk=world.candidate.pk).status == Candidate.Status.ACTIVE

    response = me.post(f"{DATA}restrict/", {"note": "my profile is wrong", "confirm": "on"})
    assert response.status_code == 302
    assert Candidate.objects.get(pk=world.candidate.pk).status == Candidate.Status.RESTRICTED
    restriction = CandidateRestriction.objects.get(candidate=world.candidate)
    assert restriction.reason.endswith("my profile is wrong") and restriction.restricted_by is None
    assert "Restricted" in me.get(DATA).content.decode()


def test_asking_for_erasure_explains_then_records_once_and_restricts(me: Client, world: WebWorld) -> None:
    page = me.get(f"{DATA}erasure/").content.decode()
    assert "What is kept, without your name, and why" in page and "You have no such application." in page

    refused = me.post(f"{DATA}erasure/", {})
    assert refused.status_code == 400 and not ErasureRequest.objects.exists()
    assert me.post(f"{DATA}erasure/", {"confirm": "on"}).status_code == 302
    assert me.post(f"{DATA}erasure/", {"confirm": "on"}).status_code == 302  # a double click
    request = ErasureRequest.objects.get()
    assert (request.candidate, request.requested_by_kind, request.status) == (
        world.candidate,
        "candidate",
        "requested",
    )
    assert Candidate.objects.get(pk=world.candidate.pk).status == Candidate.Status.RESTRICTED
    assert "You asked for the erasure of your data" in me.get(DATA).content.decode()


def test_the_pages_are_only_the_candidates(world: WebWorld) -> None:
    staff = verified_client(world.recruiter)
    for path in ("", "download/json/", "erasure/"):
        assert staff.get(f"{DATA}{path}").status_code == 403
        assert Client().get(f"{DATA}{path}").status_code == 302
    assert staff.post(f"{DATA}erasure/", {"confirm": "on"}).status_code == 403
    assert not ErasureRequest.objects.exists()


# --- The staff's pages ------------------------------------------------------------------------------


def test_staff_without_the_permission_are_refused_and_nothing_changes(world: WebWorld) -> None:
    request = erasure_request_create(candidate=world.candidate)
    recruiter = verified_client(world.recruiter)
    assert recruiter.get(STAFF).status_code == 403
    assert recruiter.get(f"{STAFF}{request.public_id}/").status_code == 403
    assert recruiter.post(f"{STAFF}{request.public_id}/execute/", {"confirm": "on"}).status_code == 403
    assert ErasureRequest.objects.get().status == "requested"
    assert Candidate.objects.get(pk=world.candidate.pk).given_name == world.candidate.given_name


def test_the_permission_opens_the_pages_to_a_non_superuser(world: WebWorld) -> None:
    officer = recruiter_user()
    officer.user_permissions.add(Permission.objects.get(codename="change_erasurerequest"))
    officer = User.objects.get(pk=officer.pk)  # permissions are cached on the instance
    assert verified_client(officer).get(STAFF).status_code == 200


def test_executing_a_request_erases_the_candidate(me: Client, world: WebWorld) -> None:
    request = erasure_request_create(candidate=world.candidate)
    officer = _officer()
    listing = officer.get(STAFF).content.decode()
    assert world.candidate.family_name in listing
    detail = officer.get(f"{STAFF}{request.public_id}/").content.decode()
    assert "1 case will be deleted." in detail

    unconfirmed = officer.post(f"{STAFF}{request.public_id}/execute/", {})
    assert unconfirmed.status_code == 400
    assert Candidate.objects.get(pk=world.candidate.pk).status == Candidate.Status.RESTRICTED

    done = officer.post(f"{STAFF}{request.public_id}/execute/", {"confirm": "on"})
    assert done.status_code == 302
    assert ErasureRequest.objects.get().status == "executed"
    assert Candidate.objects.get(pk=world.candidate.pk).status == Candidate.Status.ANONYMISED
    assert world.candidate.family_name not in officer.get(STAFF).content.decode()
    # The candidate is signed out for good: their user is gone.
    assert not User.objects.filter(role=User.Role.CANDIDATE).exists()
    assert me.get(DATA).status_code == 302
    # Executing it again: a message, nothing new.
    again = officer.post(f"{STAFF}{request.public_id}/execute/", {"confirm": "on"}, follow=True)
    assert "This request has already been handled." in again.content.decode()


def test_refusing_needs_a_reason_that_the_candidate_then_reads(me: Client, world: WebWorld) -> None:
    request = erasure_request_create(candidate=world.candidate)
    officer = _officer()
    empty = officer.post(f"{STAFF}{request.public_id}/refuse/", {"reason": "  "})
    assert empty.status_code == 400 and "Say why the erasure is refused." in empty.content.decode()
    assert ErasureRequest.objects.get().status == "requested"

    reason = "A labour inspection of your employer is under way; we must keep the file."
    assert officer.post(f"{STAFF}{request.public_id}/refuse/", {"reason": reason}).status_code == 302
    assert ErasureRequest.objects.get().status == "refused"
    assert reason in me.get(DATA).content.decode()
    # A refused request cannot be executed afterwards.
    officer.post(f"{STAFF}{request.public_id}/execute/", {"confirm": "on"})
    assert Candidate.objects.get(pk=world.candidate.pk).status == Candidate.Status.RESTRICTED


def test_an_unknown_request_is_a_404() -> None:
    assert _officer().get(f"{STAFF}6f1c2d3e-0000-4000-8000-000000000000/").status_code == 404


def test_the_download_costs_the_same_queries_for_many_rows(me: Client, world: WebWorld) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert me.get(f"{DATA}download/json/").status_code == 200
        return len(captured)

    profile_access_record(
        candidate_ids=[world.candidate.pk], kind="staff", what="profile", user=world.recruiter
    )
    candidate_note_add(candidate=world.candidate, author=world.recruiter, body="first")
    queries()  # the first request of a session reads what later ones have cached
    few = queries()
    for number in range(20):
        profile_access_record(
            candidate_ids=[world.candidate.pk], kind="staff", what="case", user=world.recruiter
        )
        candidate_note_add(candidate=world.candidate, author=world.recruiter, body=f"note {number}")
    assert queries() == few
