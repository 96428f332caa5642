"""The agreements' pages: staff of the public employment service manage agreements, an agency sees the
vacancies shared with it (never another's), the recruiter's vacancy page says where it is shared, and
the employer's close action withdraws the shares."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from agreements.models import Agreement, VacancyShare
from agreements.services import vacancy_shares_sync
from core.models import Organisation, User
from tests import factories
from tests.agreements.world import agency, agreement
from tests.web.world import verified_client
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

LIST, NEW = "/en/recruiter/agreements/", "/en/recruiter/agreements/new/"
SHARED = "/en/partner/agreements/shared/"


@pytest.fixture
def staff() -> Client:
    return verified_client(factories.UserFactory.create())  # a recruiter of the public employment service


def _partner_client(organisation: Organisation) -> Client:
    client = Client()
    client.force_login(factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=organisation))
    return client


def _shared_vacancy(agencies: list[Organisation], code: str = "tw-engineers", **fields: Any) -> Vacancy:
    occupation = factories.EscoOccupationFactory.create()
    agreement(agencies=agencies, occupations=[occupation], code=code, **fields)
    vacancy: Vacancy = factories.VacancyFactory.create(
        occupation=occupation, status=Vacancy.Status.PUBLISHED, published_at=timezone.now()
    )
    vacancy_shares_sync(vacancy.pk)
    return vacancy


def _form(agencies: list[Organisation], occupations: list[Any], /, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "tw-engineers",
        "name": "Memorandum with Taiwan",
        "kind": "memorandum",
        "partner_country": "tw",
        "agencies": [a.pk for a in agencies],
        "occupations": [o.pk for o in occupations],
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": "",
    }
    return data | overrides


def test_creating_an_agreement_shares_its_vacancies(
    staff: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    taiwan = agency("Demo Taiwanese agency")
    occupation = factories.EscoOccupationFactory.create()
    vacancy = factories.VacancyFactory.create(
        occupation=occupation, status=Vacancy.Status.PUBLISHED, published_at=timezone.now()
    )
    assert staff.get(NEW).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(NEW, _form([taiwan], [occupation]))

    assert response.status_code == 302 and response["Location"].endswith("/agreements/tw-engineers/")
    assert Agreement.objects.get().partner_country == "TW"
    detail = staff.get(response["Location"])
    assert vacancy.title.encode() in detail.content and b"Demo Taiwanese agency" in detail.content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occupations": []}, "occupations", "Name at least one occupation or one kind of shortage list"),
        ({"ends_on": "2020-01-01"}, "ends_on", "An agreement cannot end before it starts."),
        # The form offers partner organisations only; the service refuses any other (test_sync.py).
        ({"agencies": "employer"}, "agencies", "is not one of the available choices."),
        ({"agencies": []}, "agencies", "Name at least one partner agency"),
    ],
    ids=["nothing-fits", "period-reversed", "not-a-partner", "no-agency"],
)
def test_a_refused_agreement_says_why_and_writes_nothing(
    staff: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    taiwan = agency()
    occupation = factories.EscoOccupationFactory.create()
    if overrides.get("agencies") == "employer":
        overrides = {"agencies": [factories.OrganisationFactory.create(employer=True).pk]}

    response = staff.post(NEW, _form([taiwan], [occupation], **overrides))

    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Agreement.objects.exists()


def test_editing_an_agreement(staff: Client) -> None:
    taiwan = agency()
    occupation = factories.EscoOccupationFactory.create()
    agreement(agencies=[taiwan], occupations=[occupation])
    url = "/en/recruiter/agreements/tw-engineers/edit/"
    assert staff.get(url).status_code == 200

    response = staff.post(url, _form([taiwan], [occupation], name="Renamed memorandum"))

    assert response.status_code == 302
    assert Agreement.objects.get().name == "Renamed memorandum"


def test_a_coordinator_of_a_partner_agency_may_not_manage_agreements() -> None:
    coordinator = factories.UserFactory.create(
        role=User.Role.PROJECT_COORDINATOR, organisation=factories.OrganisationFactory.create()
    )
    client = verified_client(coordinator)

    assert client.get(LIST).status_code == 403
    assert client.post(NEW, {}).status_code == 403


def test_an_agency_sees_only_its_own_shares() -> None:
    taiwan, tunisia = agency("Demo Taiwanese agency"), agency("Demo Tunisian agency", country="TN")
    ours = _shared_vacancy([taiwan])
    theirs = _shared_vacancy([tunisia], code="tn-talent")
    theirs.title = "Their welder"
    theirs.save(update_fields=["title"])

    page = _partner_client(taiwan).get(SHARED)

    assert page.status_code == 200
    assert ours.title.encode() in page.content and b"Their welder" not in page.content


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_queries_do_not_grow_with_the_shares(staff: Client) -> None:
    taiwan = agency()
    partner = _partner_client(taiwan)
    _shared_vacancy([taiwan], code="first")
    urls = [LIST, "/en/recruiter/agreements/first/", SHARED]
    clients = [staff, staff, partner]
    [_queries(client, url) for client, url in zip(clients, urls, strict=True)]  # sessions warmed up
    before = [_queries(client, url) for client, url in zip(clients, urls, strict=True)]
    for index in range(4):
        vacancy = _shared_vacancy([taiwan, agency(f"Agency {index}")], code=f"more-{index}")
        VacancyShare.objects.filter(vacancy=vacancy).update(agreement=Agreement.objects.get(code="first"))
    after = [_queries(client, url) for client, url in zip(clients, urls, strict=True)]

    assert after == before


def test_the_recruiters_vacancy_page_says_where_it_is_shared(staff: Client) -> None:
    taiwan = agency("Demo Taiwanese agency")
    vacancy = _shared_vacancy([taiwan])

    page = staff.get(f"/en/recruiter/vacancies/{vacancy.public_id}/")

    assert page.status_code == 200
    assert b"Shared under agreements" in page.content and b"Demo Taiwanese agency" in page.content


def test_the_employer_closes_a_vacancy_and_its_shares_are_withdrawn(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    vacancy = _shared_vacancy([agency()])
    employer = Client()
    employer.force_login(
        factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=vacancy.employer)
    )
    other = Client()
    other.force_login(
        factories.UserFactory.create(
            role=User.Role.EMPLOYER_USER, organisation=factories.OrganisationFactory.create(employer=True)
        )
    )
    url = f"/en/employer/vacancies/{vacancy.public_id}/close/"

    assert other.post(url).status_code == 404
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        assert employer.post(url, {"filled": "1"}).status_code == 302

    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.FILLED
    share = VacancyShare.objects.get(vacancy=vacancy)
    assert share.withdrawn_reason == VacancyShare.WithdrawnReason.VACANCY_CLOSED
