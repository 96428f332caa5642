"""The review queue for staff: the list (its query count does not grow with its rows), a pair side by
side (masked contact details, a profile view logged per candidate), merging and rejecting."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate, ProfileAccess
from core.models import Organisation, User
from duplicates.models import CandidateMerge, DuplicatePair
from duplicates.views import mask_email, mask_phone
from tests import factories
from tests.web.world import recruiter_user, verified_client

pytestmark = pytest.mark.django_db
URL = "/{language}/recruiter/duplicates/"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def decider() -> User:
    """A recruiter of the public employment service allowed to merge (and reject)."""
    user = recruiter_user()
    user.user_permissions.add(Permission.objects.get(codename="merge_candidates"))
    return user


@pytest.fixture
def staff() -> Client:
    return verified_client(decider())


def _pair(index: int = 0) -> DuplicatePair:
    born = timezone.localdate() - datetime.timedelta(days=30 * 365 + index)
    a = factories.CandidateFactory.create(
        given_name="Amina",
        family_name=f"Haddad{index}",
        date_of_birth=born,
        email="amina.haddad@example.org",
        phone="+212 600 123 456",
    )
    # Registered by one agency: records of two need a consent to share (tests/duplicates/test_merge.py).
    b = factories.CandidateFactory.create(
        given_name="Amina", family_name=f"Haddad{index}", date_of_birth=born, registered_by=a.registered_by
    )
    return DuplicatePair.objects.create(
        low=a,
        high=b,
        score=70,
        reasons=["name_same", "birth_date_same"],
        detected_at=timezone.now(),
    )


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_list_opens_in_each_language(staff: Client, language: str) -> None:
    _pair()
    response = staff.get(URL.format(language=language))
    assert response.status_code == 200
    assert b"Haddad0" in response.content


def test_the_list_costs_the_same_for_one_pair_or_ten(staff: Client) -> None:
    _pair()
    staff.get(URL.format(language="en"))  # the session's first request reads more (the second factor)
    with CaptureQueriesContext(connection) as one:
        assert staff.get(URL.format(language="en")).status_code == 200
    for index in range(1, 10):
        _pair(index)
    with CaptureQueriesContext(connection) as ten:
        response = staff.get(URL.format(language="en"))
    assert response.content.count(b"Haddad") >= 20
    assert len(ten) == len(one)


def test_a_pair_shows_what_deciding_needs_and_logs_the_views(staff: Client) -> None:
    pair = _pair()
    response = staff.get(f"{URL.format(language='en')}{pair.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "a•••@example.org" in content and "••• 456" in content
    assert "amina.haddad@example.org" not in content and "123 456" not in content
    assert set(ProfileAccess.objects.values_list("candidate_id", "viewer_kind")) == {
        (pair.low_id, ProfileAccess.Kind.STAFF),
        (pair.high_id, ProfileAccess.Kind.STAFF),
    }


def test_merging_keeps_the_chosen_record(staff: Client) -> None:
    pair = _pair()
    keep = Candidate.objects.get(pk=pair.high_id)
    response = staff.post(f"{URL.format(language='en')}{pair.pk}/merge/", {"keep": str(keep.public_id)})
    assert response.status_code == 302
    merge = CandidateMerge.objects.get()
    assert merge.kept_id == keep.pk and merge.merged_away_id == pair.low_id
    assert Candidate.objects.get(pk=pair.low_id).status == Candidate.Status.ANONYMISED
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.MERGED and pair.decided_by is not None


def test_merging_without_a_choice_says_why_and_writes_nothing(staff: Client) -> None:
    pair = _pair()
    response = staff.post(f"{URL.format(language='fr')}{pair.pk}/merge/", {"keep": "nonsense"})
    assert response.status_code == 400
    assert (
        "Choisissez" in response.content.decode() or "Choose the record to keep" in response.content.decode()
    )
    assert not CandidateMerge.objects.exists()
    assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.OPEN


def test_rejecting_takes_the_pair_out_of_the_queue(staff: Client) -> None:
    pair = _pair()
    response = staff.post(f"{URL.format(language='en')}{pair.pk}/reject/")
    assert response.status_code == 302
    assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.REJECTED
    assert b"Haddad0" not in staff.get(URL.format(language="en")).content
    again = staff.post(f"{URL.format(language='en')}{pair.pk}/reject/", follow=True)
    assert b"already decided" in again.content


def test_staff_of_another_organisation_get_a_403() -> None:
    """The queue shows every agency's candidates: staff roles of any organisation but the public
    employment service see none of it, and decide nothing."""
    pair = _pair()
    other = recruiter_user(
        organisation=factories.OrganisationFactory.create(kind=Organisation.Kind.PARTNER_AGENCY)
    )
    other.user_permissions.add(Permission.objects.get(codename="merge_candidates"))
    client = verified_client(other)
    base = f"{URL.format(language='en')}"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}{pair.pk}/").status_code == 403
    assert client.post(f"{base}{pair.pk}/reject/").status_code == 403
    assert client.post(f"{base}{pair.pk}/merge/", {"keep": str(pair.low.public_id)}).status_code == 403
    assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.OPEN
    assert not ProfileAccess.objects.exists()


def test_only_staff_allowed_to_merge_decide() -> None:
    """A recruiter without duplicates.merge_candidates sees the pair but merges and rejects nothing."""
    pair = _pair()
    client = verified_client(recruiter_user())
    base = f"{URL.format(language='en')}{pair.pk}/"
    page = client.get(base)
    assert page.status_code == 200
    assert b"/merge/" not in page.content and b"/reject/" not in page.content
    assert client.post(f"{base}merge/", {"keep": str(pair.low.public_id)}).status_code == 403
    assert client.post(f"{base}reject/").status_code == 403
    assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.OPEN
    assert not CandidateMerge.objects.exists()
    assert b"/merge/" in verified_client(decider()).get(base).content


def test_masks() -> None:
    assert mask_email("fatima@example.org") == "f•••@example.org"
    assert mask_email("") == ""
    assert mask_phone("+212 612 345 678") == "••• 678"
    assert mask_phone("") == ""
