"""The costs pages: who may see and write what, what each shows, and a query count that does not grow."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Organisation, User
from costs.models import CaseCost, CostType, Payer
from costs.services import case_cost_record
from recruitment.models import Placement
from recruitment.services.interviews import SlotProposal, interview_slots_propose
from recruitment.services.placements import placement_move
from tests import factories
from tests.web.world import WebWorld, employer_user, published_vacancy, verified_client

pytestmark = pytest.mark.django_db


def _case_url(area: str, placement: Placement) -> str:
    return f"/en/{area}/costs/cases/{placement.public_id}/"


def _charge(world: WebWorld, amount: str = "450.00") -> CaseCost:
    return case_cost_record(
        placement=world.placement,
        actor=world.recruiter,
        cost_type=CostType.TRAVEL,
        amount=amount,
        currency="EUR",
        paid_by=Payer.CANDIDATE,
        payee="Agent Z",
        evidence="Receipt 77 from the candidate",
    )


def _held(world: WebWorld) -> bool:
    return Placement.objects.get(pk=world.placement.pk).held_since is not None


def _form(paid_by: str = Payer.CANDIDATE, **overrides: str) -> dict[str, str]:
    return {
        "cost_type": CostType.TRAVEL,
        "amount": "450",
        "currency": "EUR",
        "paid_by": paid_by,
        "payee": "Agent Z",
        "evidence": "Receipt 77",
        **overrides,
    }


def test_the_partner_records_a_cost_charged_to_its_candidate_and_the_case_is_held(
    world: WebWorld, partner: Client
) -> None:
    response = partner.post(f"{_case_url('partner', world.placement)}record/", _form())
    assert response.status_code == 302
    assert _held(world)
    page = partner.get(_case_url("partner", world.placement))
    assert 'id="cost-hold"' in page.text and "Agent Z" in page.text
    listing = partner.get("/en/partner/costs/")
    assert "on hold: 1 cost to refund" in listing.text


def test_another_agency_gets_a_404_and_writes_nothing(world: WebWorld) -> None:
    stranger = Client()
    stranger.force_login(
        factories.UserFactory.create(
            role=User.Role.PARTNER_USER, organisation=factories.OrganisationFactory.create(name="Partner Y")
        )
    )
    assert stranger.get(_case_url("partner", world.placement)).status_code == 404
    assert stranger.post(f"{_case_url('partner', world.placement)}record/", _form()).status_code == 404
    assert not CaseCost.objects.exists() and not _held(world)
    assert world.candidate.given_name not in stranger.get("/en/partner/costs/").text


def test_bad_input_shows_the_form_again_and_writes_nothing(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.post(
        f"{_case_url('recruiter', world.placement)}record/", _form(amount="-3", currency="E")
    )
    assert response.status_code == 400
    assert not CaseCost.objects.exists() and not _held(world)


def test_staff_see_the_alert_the_hold_on_the_case_and_the_board(world: WebWorld, recruiter: Client) -> None:
    _charge(world)
    queue = recruiter.get("/en/recruiter/costs/")
    assert str(world.candidate) in queue.text and world.partner.name in queue.text
    case_page = recruiter.get(f"/en/recruiter/placements/{world.placement.public_id}/")
    assert 'id="cost-hold"' in case_page.text
    # Only closing moves are offered while held.
    assert 'value="employer_interested"' not in case_page.text and 'value="withdrawn"' in case_page.text
    board = recruiter.get("/en/recruiter/placements/board/")
    assert "on hold: cost charged to the candidate" in board.text


def test_staff_record_the_refund_and_the_hold_lifts(world: WebWorld, recruiter: Client) -> None:
    entry = _charge(world)
    url = f"/en/recruiter/costs/costs/{entry.public_id}/refund/"
    refused = recruiter.post(url, {"refund_evidence": ""})
    assert refused.status_code == 400 and _held(world)
    done = recruiter.post(url, {"refund_evidence": "Bank transfer of 1 December"}, follow=True)
    assert "the hold on the case is lifted" in done.text
    assert not _held(world)
    assert 'id="hold-events"' in done.text


def test_a_partner_cannot_refund(world: WebWorld, partner: Client) -> None:
    entry = _charge(world)
    assert (
        partner.post(
            f"/en/recruiter/costs/costs/{entry.public_id}/refund/", {"refund_evidence": "x"}
        ).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.refunded_at is None


def test_the_employer_sees_the_overview_of_its_case_and_not_the_notes(
    world: WebWorld, employer_a: Client
) -> None:
    world.vacancy.employer_pays_visa = True
    world.vacancy.save(update_fields=["employer_pays_visa"])
    case_cost_record(
        placement=world.placement,
        actor=world.recruiter,
        cost_type=CostType.VISA_PERMIT,
        amount="358",
        currency="EUR",
        paid_by=Payer.EMPLOYER,
    )
    _charge(world, amount="120")
    page = employer_a.get(_case_url("employer", world.placement))
    assert page.status_code == 200
    text = page.text
    assert "the employer pays (stated on the vacancy)" in text and "not stated on the vacancy" in text
    assert 'id="cost-totals"' in text and "120 EUR to refund to the candidate" in text.replace(
        "120.00", "120"
    )
    assert 'id="cost-hold"' in text
    assert "Agent Z" not in text and "Receipt 77" not in text
    assert (
        f"/en/employer/costs/cases/{world.placement.public_id}/"
        in employer_a.get(f"/en/employer/proposals/{world.placement.public_id}/").text
    )


def test_the_employer_cannot_move_a_held_case(world: WebWorld, employer_a: Client) -> None:
    _charge(world)
    response = employer_a.post(
        f"/en/employer/proposals/{world.placement.public_id}/move/",
        {"to_stage": "employer_interested", "expected_version": world.placement.version},
    )
    assert response.status_code == 400
    assert "on hold" in response.text
    assert Placement.objects.get(pk=world.placement.pk).stage == Placement.Stage.PROPOSED


def test_another_employer_gets_a_404_even_with_a_case_of_its_own(world: WebWorld, employer_b: Client) -> None:
    assert employer_b.get(_case_url("employer", world.placement)).status_code == 404


def _more_cases(world: WebWorld, count: int, *, employer: Organisation) -> None:
    now = timezone.now()
    for _index in range(count):
        vacancy = published_vacancy(employer)
        candidate = factories.CandidateFactory.create(registered_by=world.partner)
        placement = Placement.objects.create(
            vacancy=vacancy,
            candidate=candidate,
            stage=Placement.Stage.PROPOSED,
            proposed_at=now,
            stage_changed_at=now,
            held_since=now,
            hold_reason="candidate_paid_cost",
        )
        for payer in (Payer.CANDIDATE, Payer.EMPLOYER):
            CaseCost.objects.create(
                placement=placement,
                cost_type=CostType.HOUSING,
                amount=Decimal("300"),
                paid_by=payer,
                recorded_at=now,
                recorded_by=world.recruiter,
                recorded_by_organisation_id=world.recruiter.organisation_id,
            )


def _more_entries(world: WebWorld, count: int) -> None:
    for index in range(count):
        CaseCost.objects.create(
            placement=world.placement,
            cost_type=CostType.TRAINING,
            amount=Decimal("10") + index,
            currency="EUR" if index % 2 else "MAD",
            paid_by=Payer.values[index % len(Payer.values)],
            recorded_at=timezone.now(),
            recorded_by=world.recruiter,
            recorded_by_organisation_id=world.recruiter.organisation_id,
        )


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("area", ["recruiter", "partner", "employer"])
def test_a_case_page_reads_in_a_constant_number_of_queries(
    world: WebWorld, area: str, request: pytest.FixtureRequest, django_assert_max_num_queries: Any
) -> None:
    client: Client = request.getfixturevalue(
        {"recruiter": "recruiter", "partner": "partner", "employer": "employer_a"}[area]
    )
    client.get("/en/")  # the session's first request stamps its timestamps
    _charge(world)
    few = _count(client, _case_url(area, world.placement))
    _more_entries(world, 8)
    assert _count(client, _case_url(area, world.placement)) == few
    with django_assert_max_num_queries(14):
        client.get(_case_url(area, world.placement))


@pytest.mark.parametrize(
    ("area", "url"), [("recruiter", "/en/recruiter/costs/"), ("partner", "/en/partner/costs/")]
)
def test_the_lists_read_in_a_constant_number_of_queries(
    world: WebWorld, area: str, url: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(area)
    client.get("/en/")
    _charge(world)
    few = _count(client, url)
    _more_cases(world, 6, employer=world.employer_a)
    assert _count(client, url) == few
    assert client.get(url).text.count("<tr>") >= 7


def test_the_partner_is_told_where_the_hold_shows_up(world: WebWorld, partner: Client) -> None:
    page = partner.post(f"{_case_url('partner', world.placement)}record/", _form(), follow=True)
    assert "it appears in the staff&#x27;s cost alerts" in page.text
    assert "Staff have been alerted" not in page.text


def test_a_coordinator_of_a_partner_agency_cannot_lift_a_hold(world: WebWorld) -> None:
    """A project coordinator is a staff role, but one employed by the candidate's own partner agency does
    not act for the public employment service: no refund, no void, no cost alerts."""
    entry = _charge(world)
    coordinator = verified_client(
        factories.UserFactory.create(role=User.Role.PROJECT_COORDINATOR, organisation=world.partner)
    )
    refund = coordinator.post(
        f"/en/recruiter/costs/costs/{entry.public_id}/refund/", {"refund_evidence": "Bank transfer"}
    )
    void = coordinator.post(f"/en/recruiter/costs/costs/{entry.public_id}/void/", {"void_reason": "Mistake"})
    assert (refund.status_code, void.status_code) == (403, 403)
    entry.refresh_from_db()
    assert entry.refunded_at is None and entry.voided_at is None and _held(world)
    assert coordinator.get("/en/recruiter/costs/").status_code == 403
    page = coordinator.get(_case_url("recruiter", world.placement))
    assert page.status_code == 200
    assert "/refund/" not in page.text and "/void/" not in page.text
    # The page itself does not send them to the cost alerts (the menu is the same for every staff role).
    assert 'href="/en/recruiter/costs/"' not in page.text.split("<main", 1)[1]


def test_staff_void_a_cost_recorded_in_error_and_the_hold_lifts(world: WebWorld, recruiter: Client) -> None:
    entry = _charge(world)
    url = f"/en/recruiter/costs/costs/{entry.public_id}/void/"
    refused = recruiter.post(url, {"void_reason": ""})
    assert refused.status_code == 400 and _held(world)
    done = recruiter.post(url, {"void_reason": "Recorded on the wrong case"}, follow=True)
    assert "The cost was voided and the hold on the case is lifted." in done.text
    assert "Recorded on the wrong case" in done.text and "voided" in done.text
    assert not _held(world)
    entry.refresh_from_db()
    assert entry.voided_at is not None and entry.void_reason == "Recorded on the wrong case"


def test_the_employer_can_decline_a_held_proposal_from_its_page(world: WebWorld, employer_a: Client) -> None:
    _charge(world)
    url = f"/en/employer/proposals/{world.placement.public_id}/"
    page = employer_a.get(url)
    assert 'value="employer_declined"' in page.text and 'value="employer_interested"' not in page.text
    response = employer_a.post(
        f"{url}move/",
        {"to_stage": "employer_declined", "expected_version": world.placement.version, "reason": "skills"},
    )
    assert response.status_code == 302
    assert Placement.objects.get(pk=world.placement.pk).stage == Placement.Stage.EMPLOYER_DECLINED


def test_a_held_case_offers_no_interview_dates_but_its_decline(
    world: WebWorld, employer_a: Client, recruiter: Client
) -> None:
    employer = employer_user(world.employer_a)
    invited = placement_move(
        placement=world.placement,
        to_stage="employer_interested",
        actor=employer,
        expected_version=world.placement.version,
    )
    interview_slots_propose(
        placement=invited,
        actor=employer,
        slots=[SlotProposal(starts_at=timezone.now() + datetime.timedelta(days=3))],
    )
    page_url = f"/en/employer/proposals/{invited.public_id}/"
    case_url = f"/en/recruiter/placements/{invited.public_id}/"
    assert 'type="datetime-local"' in employer_a.get(page_url).text
    assert "/accept/" in recruiter.get(case_url).text
    _charge(world)
    assert 'type="datetime-local"' not in employer_a.get(page_url).text
    case_page = recruiter.get(case_url).text
    assert "/accept/" not in case_page  # no confirmation of a date
    assert 'value="interview"' not in case_page and 'value="employer_declined"' in case_page
