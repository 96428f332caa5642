"""The access log of candidates' profiles in the browser application (issue 14): every page that shows a
profile records one row, in one INSERT and nothing more; a refused view records nothing; lists record
nothing; the data protection officer reads and downloads the log."""

import csv
import datetime
import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import ProfileAccess
from candidates.services import profile_access_record
from core.models import User
from tests import factories
from tests.web.world import WebWorld, employer_user, verified_client

pytestmark = pytest.mark.django_db

TABLE = ProfileAccess._meta.db_table
LOG_URL = "/en/recruiter/access-log/"


def _partner_client(world: WebWorld) -> tuple[Client, User]:
    user = factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=world.partner)
    client = Client()
    client.force_login(user)
    return client, user


def _one_view(client: Client, url: str) -> tuple[list[str], list[ProfileAccess]]:
    """The statements of one GET that touch the log, and the rows it added."""
    client.get(url)  # the session's first request stamps its timestamps
    before = set(ProfileAccess.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    touching = [query["sql"] for query in queries.captured_queries if TABLE in query["sql"]]
    return touching, list(ProfileAccess.objects.exclude(pk__in=before))


def test_each_viewer_kind_is_recorded_once_per_view_in_one_insert_and_no_read(
    world: WebWorld, recruiter: Client, employer_a: Client
) -> None:
    partner, partner_user = _partner_client(world)
    employer = User.objects.get(organisation=world.employer_a)
    cases = [
        (
            recruiter,
            f"/en/recruiter/candidates/{world.candidate.public_id}/",
            "staff",
            "profile",
            world.recruiter,
        ),
        (
            recruiter,
            f"/en/recruiter/placements/{world.placement.public_id}/",
            "staff",
            "case",
            world.recruiter,
        ),
        (employer_a, f"/en/employer/proposals/{world.placement.public_id}/", "employer", "case", employer),
        (
            partner,
            f"/en/partner/candidates/{world.candidate.public_id}/",
            "partner_web",
            "profile",
            partner_user,
        ),
    ]
    for client, url, kind, what, user in cases:
        touching, added = _one_view(client, url)
        # The page's only statement on the log is its INSERT: +1 query, nothing read back.
        assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT"), (url, touching)
        assert len(added) == 1, url
        row = added[0]
        assert (row.candidate_id, row.viewer_kind, row.what) == (world.candidate.pk, kind, what)
        assert (row.viewer_user_id, row.viewer_organisation_id) == (user.pk, user.organisation_id)
        assert abs(row.at - timezone.now()) < datetime.timedelta(minutes=1)


def test_a_refused_view_records_nothing(world: WebWorld, recruiter: Client, employer_b: Client) -> None:
    other_partner = Client()
    other_partner.force_login(
        factories.UserFactory.create(
            role=User.Role.PARTNER_USER, organisation=factories.OrganisationFactory.create()
        )
    )
    employer_a = Client()
    employer_a.force_login(employer_user(world.employer_a))
    unknown = "6f1c2d3e-0000-4000-8000-000000000000"
    refusals = [
        (Client(), f"/en/recruiter/candidates/{world.candidate.public_id}/", 302),
        (employer_a, f"/en/recruiter/candidates/{world.candidate.public_id}/", 403),
        (employer_b, f"/en/employer/proposals/{world.placement.public_id}/", 404),
        (other_partner, f"/en/partner/candidates/{world.candidate.public_id}/", 404),
        (recruiter, f"/en/recruiter/candidates/{unknown}/", 404),
        (recruiter, f"/en/recruiter/placements/{unknown}/", 404),
    ]
    for client, url, status in refusals:
        assert client.get(url).status_code == status, url
    assert not ProfileAccess.objects.exists()


def test_lists_show_no_profile_and_record_nothing(
    world: WebWorld, recruiter: Client, employer_a: Client
) -> None:
    partner, _user = _partner_client(world)
    for client, url in [
        (recruiter, "/en/recruiter/candidates/"),
        (recruiter, f"/en/recruiter/vacancies/{world.vacancy.public_id}/"),
        (recruiter, "/en/recruiter/placements/"),
        (employer_a, f"/en/employer/vacancies/{world.vacancy.public_id}/"),
        (partner, "/en/partner/candidates/"),
    ]:
        assert client.get(url).status_code == 200, url
    assert not ProfileAccess.objects.exists()


def test_the_administrations_candidate_page_is_recorded(world: WebWorld) -> None:
    admin = verified_client(factories.UserFactory.create(is_staff=True, is_superuser=True))
    assert admin.get(f"/en/admin/candidates/candidate/{world.candidate.pk}/change/").status_code == 200
    row = ProfileAccess.objects.get()
    assert (row.candidate_id, row.viewer_kind, row.what) == (world.candidate.pk, "staff", "admin")
    assert admin.get("/en/admin/candidates/candidate/").status_code == 200  # the list: nothing more
    assert ProfileAccess.objects.count() == 1


# --- The data protection officer's page --------------------------------------------------------------


def _log(world: WebWorld) -> None:
    employer = employer_user(world.employer_a)
    world.employer_a.name = '=HYPERLINK("http://evil.example","x")'
    world.employer_a.save()
    profile_access_record(candidate_ids=[world.candidate.pk], kind="employer", what="case", user=employer)
    profile_access_record(
        candidate_ids=[world.near_miss.pk], kind="staff", what="profile", user=world.recruiter
    )
    ProfileAccess.objects.filter(candidate=world.near_miss).update(
        at=timezone.now() - datetime.timedelta(days=40)
    )


def _csv(response: Any) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_superuser_reads_and_downloads_the_log(world: WebWorld) -> None:
    _log(world)
    officer = verified_client(factories.UserFactory.create(is_staff=True, is_superuser=True))
    page = officer.get(LOG_URL)
    assert page.status_code == 200
    assert str(world.candidate.public_id) in page.text and str(world.near_miss.public_id) in page.text
    rows = _csv(officer.get(LOG_URL, {"download": "csv"}))
    assert rows[0][:3] == ["at", "candidate", "viewer_kind"]
    assert [row[1] for row in rows[1:]] == [str(world.near_miss.public_id), str(world.candidate.public_id)]
    # A formula in an organisation's name is written as text, never run by a spreadsheet.
    assert rows[2][3].startswith("'=HYPERLINK")
    one = _csv(officer.get(LOG_URL, {"download": "csv", "candidate": str(world.candidate.public_id)}))
    assert [row[1] for row in one[1:]] == [str(world.candidate.public_id)]
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    recent = _csv(officer.get(LOG_URL, {"download": "csv", "since": since}))
    assert [row[1] for row in recent[1:]] == [str(world.candidate.public_id)]


def test_a_bad_filter_is_an_error_and_no_export(world: WebWorld) -> None:
    _log(world)
    officer = verified_client(factories.UserFactory.create(is_staff=True, is_superuser=True))
    response = officer.get(LOG_URL, {"candidate": "not-an-id", "download": "csv"})
    assert response.status_code == 400
    assert "public id" in response.text and str(world.candidate.public_id) not in response.text


def test_the_permission_opens_the_log_to_a_user_who_is_not_a_superuser(world: WebWorld) -> None:
    _log(world)
    officer = factories.UserFactory.create(is_staff=True)
    assert verified_client(officer).get(LOG_URL).status_code == 403
    officer.user_permissions.add(Permission.objects.get(codename="view_profileaccess"))
    assert verified_client(User.objects.get(pk=officer.pk)).get(LOG_URL).status_code == 200
