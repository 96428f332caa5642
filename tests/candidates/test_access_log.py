"""The access log of candidates' profiles (issue 14): recording (one statement, whatever the number of
candidates), the candidate's own read of it, and the data protection officer's export command."""

import csv
import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone, translation

from candidates.models import ProfileAccess
from candidates.selectors import profile_accesses_for_candidate
from candidates.services import profile_access_record
from core.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_recording_writes_one_row_per_candidate_in_one_statement(django_assert_num_queries: Any) -> None:
    first, second = factories.CandidateFactory.create_batch(2)
    employer = factories.UserFactory.create(
        role=User.Role.EMPLOYER_USER, organisation=factories.OrganisationFactory.create(employer=True)
    )
    with django_assert_num_queries(1):
        written = profile_access_record(
            candidate_ids=[first.pk, second.pk, first.pk], kind="employer", what="case", user=employer
        )
    assert written == 2  # a repeat counts once
    rows = ProfileAccess.objects.order_by("candidate_id")
    assert [(r.candidate_id, r.viewer_organisation_id, r.viewer_user_id) for r in rows] == [
        (first.pk, employer.organisation_id, employer.pk),
        (second.pk, employer.organisation_id, employer.pk),
    ]
    with django_assert_num_queries(0):
        assert profile_access_record(candidate_ids=[], kind="staff", what="profile") == 0


def test_an_organisation_without_a_person_and_an_administrator_without_an_organisation() -> None:
    candidate = factories.CandidateFactory.create()
    partner = factories.OrganisationFactory.create()
    administrator = factories.UserFactory.create(role=User.Role.ADMINISTRATOR, organisation=None)
    profile_access_record(
        candidate_ids=[candidate.pk], kind="partner_api", what="api_candidate", organisation_id=partner.pk
    )
    profile_access_record(candidate_ids=[candidate.pk], kind="staff", what="admin", user=administrator)
    assert set(ProfileAccess.objects.values_list("viewer_organisation_id", "viewer_user_id")) == {
        (partner.pk, None),
        (None, administrator.pk),
    }


def test_an_unknown_kind_is_a_programming_error() -> None:
    candidate = factories.CandidateFactory.create()
    with pytest.raises(ValueError):
        profile_access_record(candidate_ids=[candidate.pk], kind="candidate", what="profile")
    with pytest.raises(ValueError):
        profile_access_record(candidate_ids=[candidate.pk], kind="staff", what="everything")
    assert not ProfileAccess.objects.exists()


def test_the_candidate_reads_who_looked_newest_first_in_one_query(django_assert_num_queries: Any) -> None:
    candidate, other = factories.CandidateFactory.create_batch(2)
    employer = factories.OrganisationFactory.create(employer=True, name="Lasbedrijf A")
    now = timezone.now()
    for days, kind, organisation in (
        (3, "employer", employer),
        (1, "staff", None),
        (2, "partner_web", employer),
    ):
        ProfileAccess.objects.create(
            candidate=candidate,
            viewer_kind=kind,
            viewer_organisation=organisation,
            what="profile",
            at=now - datetime.timedelta(days=days),
        )
    ProfileAccess.objects.create(candidate=other, viewer_kind="staff", what="profile", at=now)
    with django_assert_num_queries(1):
        rows = profile_accesses_for_candidate(candidate=candidate)
    assert [(r.viewer_kind, r.organisation_name, r.organisation_kind) for r in rows] == [
        ("staff", "", ""),
        ("partner_web", "Lasbedrijf A", "employer"),
        ("employer", "Lasbedrijf A", "employer"),
    ]
    with translation.override("en"):
        labelled = profile_accesses_for_candidate(candidate=candidate, limit=1)[0]
    assert (labelled.viewer_kind_label, labelled.what_label) == ("Public employment service staff", "Profile")
    assert rows[0].at > rows[1].at > rows[2].at
    assert len(profile_accesses_for_candidate(candidate=candidate, limit=2)) == 2


# --- The export command -----------------------------------------------------------------------------


def _logged() -> tuple[Any, Any]:
    recent, old = factories.CandidateFactory.create_batch(2)
    staff = factories.UserFactory.create(username="lotte")
    profile_access_record(candidate_ids=[recent.pk], kind="staff", what="profile", user=staff)
    profile_access_record(candidate_ids=[old.pk], kind="staff", what="case", user=staff)
    ProfileAccess.objects.filter(candidate=old).update(at=timezone.now() - datetime.timedelta(days=30))
    return recent, old


def _export(*args: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("export_access_log", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_the_command_exports_every_view_oldest_first_with_its_filters(tmp_path: Path) -> None:
    recent, old = _logged()
    rows = _export()
    assert rows[0] == [
        "at",
        "candidate",
        "viewer_kind",
        "viewer_organisation",
        "viewer_organisation_id",
        "viewer_user",
        "viewer_user_id",
        "what",
    ]
    assert [(row[1], row[5], row[7]) for row in rows[1:]] == [
        (str(old.public_id), "lotte", "case"),
        (str(recent.public_id), "lotte", "profile"),
    ]
    assert [row[1] for row in _export("--candidate", str(old.public_id))[1:]] == [str(old.public_id)]
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert [row[1] for row in _export("--since", since)[1:]] == [str(recent.public_id)]
    target = tmp_path / "log.csv"
    call_command("export_access_log", "--output", str(target), stderr=io.StringIO())
    assert len(list(csv.reader(target.open(encoding="utf-8")))) == 3


@pytest.mark.parametrize("args", [("--candidate", "nobody"), ("--since", "last week")])
def test_the_command_refuses_a_bad_filter(args: tuple[str, str]) -> None:
    with pytest.raises(CommandError):
        call_command("export_access_log", *args, stdout=io.StringIO())


def test_each_view_writes_no_index_another_one_already_covers() -> None:
    """The log is written on every profile page: an index whose columns lead another one only costs a
    write (the candidate's own reads use (candidate, at))."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, ProfileAccess._meta.db_table)
    indexes = [tuple(details["columns"]) for details in found.values() if details["index"]]
    redundant = [
        columns
        for columns in indexes
        if any(other != columns and other[: len(columns)] == columns for other in indexes)
    ]
    assert ("candidate_id", "at") in indexes
    assert redundant == []
