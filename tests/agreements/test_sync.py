"""A vacancy that fits an agreement is shared with its agencies when published and withdrawn when closed,
through the vacancy's recompute job, without anyone's click; each agency hears of it by webhook.

Tasks run eagerly in the tests: committing a change (``django_capture_on_commit_callbacks``) runs the
recompute, whose transaction syncs the shares and writes the events, whose deliveries reach a real HTTP
receiver on loopback.
"""

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pytest_django import DjangoCaptureOnCommitCallbacks

from agreements.models import Agreement, VacancyShare
from agreements.services import agreement_save, agreements_sync_all, vacancy_shares_sync
from reference.models import ShortageList
from tests import factories
from tests.agreements.world import agency, agreement, on_shortage_list
from tests.web.world import verified_client
from tests.webhooks.conftest import SubscribeFn
from tests.webhooks.receiver import Receiver, payload_of
from vacancies.models import Vacancy
from vacancies.services import vacancy_close, vacancy_publish
from webhooks.events import EventType
from webhooks.models import WebhookEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_settings")]

Capture = DjangoCaptureOnCommitCallbacks


def _draft(**fields: object) -> Vacancy:
    vacancy: Vacancy = factories.VacancyFactory.create(**fields)
    return vacancy


def test_publishing_shares_and_closing_withdraws_with_real_deliveries(
    receiver: Receiver, subscribe: SubscribeFn, django_capture_on_commit_callbacks: Capture
) -> None:
    taiwan, other = agency("Demo Taiwanese agency"), agency("Another agency")
    _subscription, secret = subscribe(receiver.url, organisation=taiwan)
    receiver.secrets = [secret]
    subscribe(receiver.url + "/other", organisation=other)
    occupation = factories.EscoOccupationFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        agreement(agencies=[taiwan], occupations=[occupation])
    vacancy = _draft(occupation=occupation)

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_publish(vacancy)

    share = VacancyShare.objects.get()
    assert (share.vacancy_id, share.agency_id, share.withdrawn_at) == (vacancy.pk, taiwan.pk, None)
    [received] = receiver.received
    assert received.verified and received.path == "/hooks"
    payload = payload_of(received)
    assert payload["type"] == EventType.VACANCY_SHARED
    assert payload["data"]["vacancy"] == str(vacancy.public_id)
    assert payload["data"]["agreement"] == "tw-engineers"

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(Vacancy.objects.get(pk=vacancy.pk))

    share.refresh_from_db()
    assert share.withdrawn_at is not None
    assert share.withdrawn_reason == VacancyShare.WithdrawnReason.VACANCY_CLOSED
    assert [payload_of(r)["type"] for r in receiver.received] == [
        EventType.VACANCY_SHARED,
        EventType.VACANCY_CLOSED,
    ]
    closed = payload_of(receiver.received[1])["data"]
    assert (closed["status"], closed["reason"]) == ("closed", "vacancy_closed")
    # The other agency is named by no agreement: nothing reached its endpoint.
    assert all(r.path == "/hooks" for r in receiver.received)


def test_a_sync_run_twice_writes_nothing_more(subscribe: SubscribeFn) -> None:
    taiwan = agency()
    subscribe(organisation=taiwan)
    occupation = factories.EscoOccupationFactory.create()
    agreement(agencies=[taiwan], occupations=[occupation])
    vacancy = _draft(occupation=occupation, status=Vacancy.Status.PUBLISHED, published_at=timezone.now())

    first = vacancy_shares_sync(vacancy.pk)
    second = vacancy_shares_sync(vacancy.pk)

    assert (first.shared, second.shared, second.withdrawn) == (1, 0, 0)
    assert VacancyShare.objects.count() == 1
    assert WebhookEvent.objects.filter(organisation=taiwan, type=EventType.VACANCY_SHARED).count() == 1


@pytest.mark.parametrize(
    ("fields", "vacancy_fields", "shared"),
    [
        ({}, {}, True),
        ({"vacancy_kinds": ["internship"]}, {}, False),
        ({"vacancy_kinds": ["internship"]}, {"kind": "internship"}, True),
        ({"regions": ["BRU"]}, {}, False),
        ({"regions": ["VLG", "BRU"]}, {}, True),
    ],
    ids=["any", "wrong-kind", "right-kind", "wrong-region", "right-region"],
)
def test_kind_and_region_decide(fields: dict[str, Any], vacancy_fields: dict[str, Any], shared: bool) -> None:
    taiwan = agency()
    occupation = factories.EscoOccupationFactory.create()
    agreement(agencies=[taiwan], occupations=[occupation], **fields)
    vacancy = _draft(
        occupation=occupation, status=Vacancy.Status.PUBLISHED, published_at=timezone.now(), **vacancy_fields
    )

    vacancy_shares_sync(vacancy.pk)

    assert VacancyShare.objects.filter(vacancy=vacancy, withdrawn_at__isnull=True).exists() is shared


def test_a_shortage_list_kind_makes_its_occupations_fit() -> None:
    morocco = agency("Demo Moroccan agency", country="MA")
    on_list, off_list = factories.EscoOccupationFactory.create(), factories.EscoOccupationFactory.create()
    on_shortage_list(on_list, ShortageList.Kind.MIGRATION_MEDIUM_SKILLED)
    agreement(
        agencies=[morocco],
        code="ma-talent",
        shortage_list_kinds=[ShortageList.Kind.MIGRATION_MEDIUM_SKILLED],
    )
    fits = _draft(occupation=on_list, status=Vacancy.Status.PUBLISHED, published_at=timezone.now())
    does_not = _draft(occupation=off_list, status=Vacancy.Status.PUBLISHED, published_at=timezone.now())

    assert vacancy_shares_sync(fits.pk).shared == 1
    assert vacancy_shares_sync(does_not.pk).shared == 0


def test_a_draft_or_a_suspended_employers_vacancy_is_never_shared() -> None:
    taiwan = agency()
    occupation = factories.EscoOccupationFactory.create()
    agreement(agencies=[taiwan], occupations=[occupation])
    draft = _draft(occupation=occupation)
    suspended = _draft(
        occupation=occupation,
        status=Vacancy.Status.PUBLISHED,
        published_at=timezone.now(),
        employer=factories.OrganisationFactory.create(employer=True, suspended=True),
    )

    assert vacancy_shares_sync(draft.pk).shared == 0
    assert vacancy_shares_sync(suspended.pk).shared == 0


def test_an_agreement_saved_shares_its_published_vacancies_and_an_edit_withdraws(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    taiwan, tunisia = agency("Demo Taiwanese agency"), agency("Demo Tunisian agency", country="TN")
    occupation, other = factories.EscoOccupationFactory.create(), factories.EscoOccupationFactory.create()
    vacancy = _draft(occupation=occupation, status=Vacancy.Status.PUBLISHED, published_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):  # the save queues the agreement's sync
        made = agreement(agencies=[taiwan, tunisia], occupations=[occupation])
    assert set(VacancyShare.objects.values_list("agency_id", flat=True)) == {taiwan.pk, tunisia.pk}

    fields = {
        name: getattr(made, name)
        for name in (
            *("code", "name", "kind", "partner_country", "starts_on", "ends_on"),
            *("shortage_list_kinds", "vacancy_kinds", "regions"),
        )
    }
    with django_capture_on_commit_callbacks(execute=True):  # Tunisia's agency no longer named
        agreement_save(agreement=made, agencies=[taiwan], occupations=[occupation], **fields)
    assert VacancyShare.objects.get(agency=tunisia).withdrawn_reason == "agreement_ended"
    assert VacancyShare.objects.get(agency=taiwan).withdrawn_at is None

    with django_capture_on_commit_callbacks(execute=True):  # another occupation: the vacancy no longer fits
        agreement_save(agreement=made, agencies=[taiwan], occupations=[other], **fields)
    assert VacancyShare.objects.get(agency=taiwan).withdrawn_reason == "no_longer_fits"
    assert vacancy.pk  # the vacancy itself is untouched
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.PUBLISHED


def test_the_daily_sync_follows_the_agreements_period() -> None:
    taiwan = agency()
    occupation = factories.EscoOccupationFactory.create()
    today = timezone.localdate()
    agreement(
        agencies=[taiwan],
        occupations=[occupation],
        starts_on=today + datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=10),
    )
    vacancy = _draft(occupation=occupation, status=Vacancy.Status.PUBLISHED, published_at=timezone.now())

    assert agreements_sync_all(day=today).shared == 0
    assert agreements_sync_all(day=today + datetime.timedelta(days=1)).shared == 1
    assert agreements_sync_all(day=today + datetime.timedelta(days=10)).shared == 0
    ended = agreements_sync_all(day=today + datetime.timedelta(days=11))

    assert ended.withdrawn == 1
    share = VacancyShare.objects.get(vacancy=vacancy)
    assert share.withdrawn_reason == VacancyShare.WithdrawnReason.AGREEMENT_ENDED


def test_shared_again_after_republishing_reuses_the_row(django_capture_on_commit_callbacks: Capture) -> None:
    taiwan = agency()
    occupation = factories.EscoOccupationFactory.create()
    agreement(agencies=[taiwan], occupations=[occupation])
    vacancy = _draft(occupation=occupation)
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_publish(vacancy)
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(Vacancy.objects.get(pk=vacancy.pk))
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_publish(Vacancy.objects.get(pk=vacancy.pk))

    share = VacancyShare.objects.get()
    assert (share.withdrawn_at, share.withdrawn_reason) == (None, "")


def test_the_service_refuses_an_agency_that_is_not_a_partner_organisation() -> None:
    employer = factories.OrganisationFactory.create(employer=True)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        agreement(agencies=[employer], occupations=[factories.EscoOccupationFactory.create()])

    assert [error.code for error in refused.value.error_dict["agencies"]] == ["not_partner"]
    assert not Agreement.objects.exists()


def _synced_vacancies(statements: list[dict[str, str]]) -> list[int]:
    """The vacancy of each ``vacancy_shares_sync`` run among ``statements`` (each reads its stored shares
    once, by vacancy)."""
    read = re.compile(r'FROM "agreements_vacancyshare" WHERE "agreements_vacancyshare"\."vacancy_id" = (\d+)')
    return sorted(int(found[1]) for query in statements if (found := read.search(query["sql"])))


def test_the_daily_sync_runs_each_vacancy_once_and_skips_those_recomputed_today() -> None:
    taiwan, tunisia = agency("Demo Taiwanese agency"), agency("Demo Tunisian agency", country="TN")
    occupation = factories.EscoOccupationFactory.create()
    for code in ("tw-engineers", "tn-engineers", "tw-second"):  # three agreements naming one occupation
        agreement(agencies=[taiwan, tunisia], occupations=[occupation], code=code)
    published = {"occupation": occupation, "status": Vacancy.Status.PUBLISHED, "published_at": timezone.now()}
    stale, unsynced = _draft(**published), _draft(**published)
    recomputed = _draft(**published)
    today = timezone.localdate()
    Vacancy.objects.filter(pk=stale.pk).update(matched_on=today - datetime.timedelta(days=1))
    Vacancy.objects.filter(pk=recomputed.pk).update(matched_on=today)  # its recompute synced it today

    with CaptureQueriesContext(connection) as captured:
        result = agreements_sync_all(day=today)

    assert _synced_vacancies(captured.captured_queries) == sorted([stale.pk, unsynced.pk])
    assert result.shared == 12  # two vacancies, each with both agencies under each of three agreements
    assert not VacancyShare.objects.filter(vacancy=recomputed).exists()  # left to its recompute's sync


def test_deleting_a_shared_vacancy_in_the_admin_tells_its_agencies_with_real_deliveries(
    receiver: Receiver, subscribe: SubscribeFn, django_capture_on_commit_callbacks: Capture
) -> None:
    taiwan, tunisia = agency("Demo Taiwanese agency"), agency("Demo Tunisian agency", country="TN")
    _subscription, secret = subscribe(receiver.url, organisation=taiwan)
    receiver.secrets = [secret]
    subscribe(receiver.url + "/tunisia", organisation=tunisia)
    occupation = factories.EscoOccupationFactory.create()
    agreement(agencies=[taiwan], occupations=[occupation])
    made = agreement(agencies=[tunisia], occupations=[occupation], code="tn-talent", partner_country="TN")
    vacancy = _draft(occupation=occupation, status=Vacancy.Status.PUBLISHED, published_at=timezone.now())
    vacancy_shares_sync(vacancy.pk)
    Agreement.objects.filter(pk=made.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):  # Tunisia's share withdrawn: told already
        assert vacancy_shares_sync(vacancy.pk).withdrawn == 1
    receiver.received.clear()
    admin_user = factories.UserFactory.create(is_superuser=True, is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client(admin_user).post(
            f"/en/admin/vacancies/vacancy/{vacancy.pk}/delete/", {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Vacancy.objects.filter(pk=vacancy.pk).exists() and not VacancyShare.objects.exists()
    [received] = receiver.received  # Taiwan's agency only: Tunisia's share was withdrawn before
    assert received.verified and received.path == "/hooks"
    payload = payload_of(received)
    assert payload["type"] == EventType.VACANCY_CLOSED
    assert payload["data"]["vacancy"] == str(vacancy.public_id)
    assert (payload["data"]["status"], payload["data"]["reason"]) == ("vacancy_deleted", "vacancy_deleted")
    assert payload["data"]["agreement"] == "tw-engineers" and payload["data"]["withdrawn_at"]
