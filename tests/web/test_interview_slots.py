"""Interview slots in the browser: the employer proposes dates on the proposal page, the recruiter
confirms one on the case page; every other visitor is refused and changes nothing."""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from recruitment.models import InterviewSlot, Placement
from recruitment.services.interviews import SlotProposal, interview_slots_propose
from recruitment.services.placements import placement_move, placement_propose, placement_shortlist
from tests import factories
from tests.web.world import WebWorld, employer_user, matched_candidate, stored_match

pytestmark = pytest.mark.django_db


def _local(days: int, hour: int = 10) -> str:
    """A date and time as <input type="datetime-local"> sends it."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def _invite(world: WebWorld) -> Placement:
    return placement_move(
        placement=world.placement,
        to_stage="employer_interested",
        actor=employer_user(world.employer_a),
        expected_version=world.placement.version,
    )


def _slots_url(placement: Placement) -> str:
    return f"/en/employer/proposals/{placement.public_id}/slots/"


def _accept_url(placement: Placement, slot: InterviewSlot) -> str:
    return f"/en/recruiter/placements/{placement.public_id}/slots/{slot.public_id}/accept/"


def _proposed(world: WebWorld, placement: Placement, *days: int) -> list[InterviewSlot]:
    slots = [
        SlotProposal(
            starts_at=timezone.make_aware(
                datetime.datetime.combine(
                    timezone.localdate() + datetime.timedelta(days=day), datetime.time(10)
                )
            )
        )
        for day in days
    ]
    return interview_slots_propose(placement=placement, actor=employer_user(world.employer_a), slots=slots)


def test_the_employer_proposes_dates_on_the_proposal_page(world: WebWorld, employer_a: Client) -> None:
    placement = _invite(world)
    page = employer_a.get(f"/en/employer/proposals/{placement.public_id}/")
    assert 'type="datetime-local"' in page.text and 'for="id_slot_starts_at_1"' in page.text
    data = {
        "starts_at_1": _local(3),
        "starts_at_2": _local(4, 14),
        "starts_at_3": "",
        "duration_minutes": "45",
        "mode": "on_site",
        "location": "Dok Noord 3, Gent",
    }
    response = employer_a.post(_slots_url(placement), data)
    assert response.status_code == 302
    slots = list(InterviewSlot.objects.filter(placement=placement).order_by("starts_at"))
    assert [(timezone.localtime(s.starts_at).hour, s.duration_minutes, s.mode) for s in slots] == [
        (10, 45, "on_site"),
        (14, 45, "on_site"),
    ]
    listing = employer_a.get(f"/en/employer/proposals/{placement.public_id}/").text
    assert "Dok Noord 3, Gent" in listing and listing.count(">Proposed</span>") == 2


# Built when the test runs (lambdas), not when it is collected: a suite that crosses midnight would
# otherwise compare yesterday's "in three days" with today's.
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: {"starts_at_1": ""}, "This field is required."),
        (lambda: {"starts_at_1": _local(-2)}, "Choose a date and time in the future."),
        (lambda: {"starts_at_2": _local(3)}, "This date and time is already proposed above."),
        (lambda: {"duration_minutes": "5"}, "Ensure this value is greater than or equal to 15."),
        (lambda: {"starts_at_1": "tomorrow"}, "Enter a valid date/time."),
    ],
)
def test_bad_dates_are_refused_with_a_message(
    world: WebWorld, employer_a: Client, data: Callable[[], dict[str, str]], message: str
) -> None:
    placement = _invite(world)
    posted = {"starts_at_1": _local(3), "duration_minutes": "60", "mode": "video", **data()}
    response = employer_a.post(_slots_url(placement), posted)
    assert response.status_code == 400 and message in response.text
    assert not InterviewSlot.objects.exists()


def test_no_dates_before_the_invitation(world: WebWorld, employer_a: Client) -> None:
    page = employer_a.get(f"/en/employer/proposals/{world.placement.public_id}/").text
    assert "datetime-local" not in page
    response = employer_a.post(
        _slots_url(world.placement), {"starts_at_1": _local(3), "duration_minutes": "60", "mode": "video"}
    )
    assert response.status_code == 400 and "once you have invited the candidate" in response.text
    assert not InterviewSlot.objects.exists()


def test_another_employer_and_staff_cannot_propose_dates(
    world: WebWorld, employer_b: Client, recruiter: Client
) -> None:
    placement = _invite(world)
    data = {"starts_at_1": _local(3), "duration_minutes": "60", "mode": "video"}
    assert employer_b.post(_slots_url(placement), data).status_code == 404
    assert recruiter.post(_slots_url(placement), data).status_code == 403
    assert Client().post(_slots_url(placement), data).status_code == 302
    assert not InterviewSlot.objects.exists()


def test_the_recruiter_confirms_a_slot_and_the_case_moves_to_interview(
    world: WebWorld, recruiter: Client, employer_a: Client, django_assert_max_num_queries: Any
) -> None:
    placement = _invite(world)
    first, second = _proposed(world, placement, 3, 4)
    recruiter.get("/en/")
    with django_assert_max_num_queries(41):  # 41: the access log's INSERT (issue 14)
        page = recruiter.get(f"/en/recruiter/placements/{placement.public_id}/")
    assert _accept_url(placement, first) in page.text
    assert _accept_url(placement, second) in page.text
    response = recruiter.post(_accept_url(placement, second))
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.stage == Placement.Stage.INTERVIEW
    assert dict(InterviewSlot.objects.values_list("pk", "status")) == {
        first.pk: "declined",
        second.pk: "accepted",
    }
    after = recruiter.get(f"/en/recruiter/placements/{placement.public_id}/").text
    assert "is confirmed" in after and _accept_url(placement, first) not in after
    employer_page = employer_a.get(f"/en/employer/proposals/{placement.public_id}/").text
    assert ">Accepted</span>" in employer_page and "datetime-local" not in employer_page


def test_a_slot_of_another_case_is_not_found(world: WebWorld, recruiter: Client) -> None:
    placement = _invite(world)
    other_candidate = matched_candidate(world.vacancy, registered_by=world.partner)
    stored_match(world.vacancy, other_candidate)
    other = placement_shortlist(vacancy=world.vacancy, candidate=other_candidate, actor=world.recruiter)
    other = placement_propose(placement=other, actor=world.recruiter, expected_version=other.version)
    (slot,) = _proposed(world, placement, 3)
    assert recruiter.post(_accept_url(other, slot)).status_code == 404
    missing = f"/en/recruiter/placements/{placement.public_id}/slots/{uuid.uuid4()}/accept/"
    assert recruiter.post(missing).status_code == 404
    slot.refresh_from_db()
    assert slot.status == "proposed"


def test_only_staff_confirm_a_slot(world: WebWorld, employer_a: Client, employer_b: Client) -> None:
    placement = _invite(world)
    (slot,) = _proposed(world, placement, 3)
    assert employer_a.post(_accept_url(placement, slot)).status_code == 403
    assert employer_b.post(_accept_url(placement, slot)).status_code == 403
    assert Client().post(_accept_url(placement, slot)).status_code == 302
    partner = Client()
    partner.force_login(factories.UserFactory.create(role="partner_user", organisation=world.partner))
    assert partner.post(_accept_url(placement, slot)).status_code == 403
    slot.refresh_from_db()
    placement.refresh_from_db()
    assert slot.status == "proposed" and placement.stage == Placement.Stage.EMPLOYER_INTERESTED


def test_confirming_twice_tells_the_second_click(world: WebWorld, recruiter: Client) -> None:
    placement = _invite(world)
    (slot,) = _proposed(world, placement, 3)
    assert recruiter.post(_accept_url(placement, slot)).status_code == 302
    again = recruiter.post(_accept_url(placement, slot), follow=True)
    assert "already answered" in again.text


def _cancel_url(placement: Placement, slot: InterviewSlot) -> str:
    return f"/en/employer/proposals/{placement.public_id}/slots/{slot.public_id}/cancel/"


def test_the_employer_withdraws_a_date_and_the_case_stays_where_it_is(
    world: WebWorld, employer_a: Client, employer_b: Client, recruiter: Client
) -> None:
    placement = _invite(world)
    first, second = _proposed(world, placement, 3, 4)
    page = employer_a.get(f"/en/employer/proposals/{placement.public_id}/").text
    assert f'action="{_cancel_url(placement, first)}"' in page
    # Another employer does not find the case; staff are not on the employer's pages.
    assert employer_b.post(_cancel_url(placement, first)).status_code == 404
    assert recruiter.post(_cancel_url(placement, first)).status_code == 403
    first.refresh_from_db()
    assert first.status == "proposed"
    response = employer_a.post(_cancel_url(placement, first), follow=True)
    assert "The date was withdrawn." in response.text
    first.refresh_from_db()
    second.refresh_from_db()
    placement.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "proposed")
    assert placement.stage == Placement.Stage.EMPLOYER_INTERESTED
    assert f'action="{_cancel_url(placement, first)}"' not in response.text  # nothing left to withdraw
    # A second click is told, and changes nothing.
    again = employer_a.post(_cancel_url(placement, first), follow=True)
    assert "already answered" in again.text


def _next(month: int, day: int = 15) -> datetime.date:
    """The next ``day`` of ``month`` at least a week ahead: a future date in winter or in summer time."""
    today = timezone.localdate()
    date = datetime.date(today.year, month, day)
    return date if date >= today + datetime.timedelta(days=7) else date.replace(year=today.year + 1)


@pytest.mark.parametrize(("month", "name"), [(1, "januari"), (7, "juli")], ids=["winter", "summer"])
def test_interview_times_are_shown_in_brussels_time(
    world: WebWorld, recruiter: Client, employer_a: Client, month: int, name: str
) -> None:
    """A 10:00 slot reads 10:00 wherever it appears, not its UTC hour (09:00 in winter, 08:00 in summer)."""
    placement = _invite(world)
    day = _next(month)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))  # Europe/Brussels
    (slot,) = interview_slots_propose(
        placement=placement, actor=employer_user(world.employer_a), slots=[SlotProposal(starts_at=starts_at)]
    )
    shown = f"{day.day} {name} {day.year} 10:00"
    case_page = f"/nl/recruiter/placements/{placement.public_id}/"
    assert shown in recruiter.get(case_page).text
    assert shown in employer_a.get(f"/nl/employer/proposals/{placement.public_id}/").text
    accept = f"/nl/recruiter/placements/{placement.public_id}/slots/{slot.public_id}/accept/"
    confirmation = recruiter.post(accept, follow=True).text
    assert f"Het sollicitatiegesprek op {shown} is bevestigd." in confirmation
    slot.refresh_from_db()
    assert f"{day.isoformat()} 10:00" in str(slot)
