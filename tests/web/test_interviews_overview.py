"""Interview dates an employer offers, seen outside the case (issue 12, item 18b): a dashboard section
"Interviews offered and coming up" (soonest first, Brussels time, with candidate, vacancy and a link to
the case) and the next date on the case's card on the board, at a fixed number of queries."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment.models import InterviewSlot, Placement
from recruitment.selectors.dashboard import SECTION_ROWS
from tests import factories
from tests.web.test_dashboard import QUERY_BUDGET, section
from tests.web.world import WebWorld, published_vacancy

pytestmark = pytest.mark.django_db

DASHBOARD = "/en/recruiter/"
BOARD = "/en/recruiter/placements/board/"


def _at(days: int, hour: int = 10) -> datetime.datetime:
    """``hour`` o'clock in Brussels, ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _slot(placement: Placement, starts_at: datetime.datetime, status: str = "proposed") -> InterviewSlot:
    """A slot as the services leave it (written directly: proposing and answering are tested elsewhere)."""
    return InterviewSlot.objects.create(
        placement=placement,
        starts_at=starts_at,
        status=status,
        answered_at=None if status == InterviewSlot.Status.PROPOSED else timezone.now(),
    )


def _interviewing(world: WebWorld, name: str, stage: str = "employer_interested") -> Placement:
    return Placement.objects.create(
        reason="candidate_withdrew" if stage == "withdrawn" else "",
        vacancy=world.vacancy,
        candidate=factories.CandidateFactory.create(given_name=name, family_name="Test"),
        stage=stage,
        stage_changed_at=timezone.now(),
        proposed_at=timezone.now(),
    )


def test_the_dashboard_lists_the_interview_dates_to_come_soonest_first(
    world: WebWorld, recruiter: Client
) -> None:
    Placement.objects.filter(pk=world.placement.pk).update(stage="employer_interested")
    later = _slot(world.placement, _at(9, 14))
    soon = _interviewing(world, "Karim")
    _slot(soon, _at(2, 9), status=InterviewSlot.Status.ACCEPTED)
    # Not to come, or not on offer: a past date, a withdrawn one, a closed case's.
    _slot(world.placement, timezone.now() - datetime.timedelta(hours=1))
    _slot(world.placement, _at(3), status=InterviewSlot.Status.CANCELLED)
    closed = _interviewing(world, "Closed", stage="withdrawn")
    _slot(closed, _at(4))
    html = section(recruiter.get(DASHBOARD).text, "interviews-title")
    assert "2 interview dates are offered or confirmed and still to come." in html
    assert html.count("<tr>") == 3  # the header row, then the two
    assert html.index("Karim Test") < html.index("Amina Benali")
    assert "Lasser MIG/MAG" in html and "Lasbedrijf A" in html and "Closed" not in html
    assert f'href="/en/recruiter/placements/{world.placement.public_id}/"' in html
    assert f'href="/en/recruiter/placements/{soon.public_id}/"' in html
    # Brussels time, whatever the hour in UTC.
    local = timezone.localtime(later.starts_at)
    assert local.hour == 14 and f'datetime="{local.isoformat()}"' in html
    assert "Accepted" in html and "Proposed" in html


def test_the_dashboard_reads_the_interviews_in_a_fixed_number_of_queries(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    recruiter.get(DASHBOARD)  # the session's first request stamps its timestamps

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert recruiter.get(DASHBOARD).status_code == 200
        return len(queries)

    few = count()
    for index in range(SECTION_ROWS + 3):
        employer = factories.OrganisationFactory.create(employer=True)
        placement = Placement.objects.create(
            vacancy=published_vacancy(employer),
            candidate=factories.CandidateFactory.create(),
            stage="interview",
            stage_changed_at=timezone.now(),
            proposed_at=timezone.now(),
        )
        _slot(placement, _at(index + 1))
    assert count() == few
    with django_assert_max_num_queries(QUERY_BUDGET):
        html = section(recruiter.get(DASHBOARD).text, "interviews-title")
    assert html.count("<tr>") == SECTION_ROWS + 1
    assert f"{SECTION_ROWS + 3} interview dates" in html


def test_a_board_card_shows_its_next_interview_date(world: WebWorld, recruiter: Client) -> None:
    Placement.objects.filter(pk=world.placement.pk).update(stage="employer_interested")
    _slot(world.placement, timezone.now() - datetime.timedelta(days=1))  # past: not the next one
    offered = _slot(world.placement, _at(5, 11))
    _slot(world.placement, _at(8, 11))
    confirmed_case = _interviewing(world, "Karim", stage="interview")
    confirmed = _slot(confirmed_case, _at(3, 15), status=InterviewSlot.Status.ACCEPTED)
    _interviewing(world, "Nodate")
    recruiter.get("/en/")  # the session's first request stamps its timestamps
    with CaptureQueriesContext(connection) as before:
        text = recruiter.get(BOARD).text
    interested = text[text.index('id="column-employer_interested"') : text.index('id="column-interview"')]
    card = interested[interested.index("Amina Benali") : interested.index("</li>", interested.index("Amina"))]
    assert "Interview offered:" in card
    assert f'datetime="{timezone.localtime(offered.starts_at).isoformat()}"' in card
    nodate = interested[interested.index("Nodate") :]
    assert "Interview" not in nodate[: nodate.index("</li>")]
    column = text[text.index('id="column-interview"') : text.index('id="column-offer"')]
    assert "Interview:" in column and "Interview offered:" not in column
    assert f'datetime="{timezone.localtime(confirmed.starts_at).isoformat()}"' in column
    # More cards with dates: the same queries (the date is annotated, not read per card).
    for index in range(5):
        _slot(_interviewing(world, f"More{index}"), _at(index + 1))
    with CaptureQueriesContext(connection) as after:
        assert recruiter.get(BOARD).status_code == 200
    assert len(after) == len(before)
