"""The recruiter's placement board, and the list's filters it shares."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Organisation
from projects.models import Project
from recruitment.models import Placement
from recruitment.selectors.board import CARDS_PER_COLUMN, CLOSED_STAGES, OPEN_STAGES
from tests import factories
from tests.web.world import WebWorld, published_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

BOARD = "/en/recruiter/placements/board/"
LIST = "/en/recruiter/placements/"
REASONS = {"employer_declined": "skills", "permit_refused": "permit_refused", "ended": "resigned"}
REASONS["withdrawn"] = "candidate_withdrew"


def _case(
    vacancy: Vacancy,
    stage: str,
    *,
    days: int = 1,
    due: datetime.date | None = None,
    project: Project | None = None,
    name: str = "Case",
) -> Placement:
    """A case written as the services leave it at ``stage`` (proposed unless shortlisted)."""
    candidate = factories.CandidateFactory.create(given_name=name, project=project)
    changed = timezone.now() - datetime.timedelta(days=days)
    return Placement.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        stage=stage,
        stage_changed_at=changed,
        proposed_at=None if stage == "shortlisted" else changed,
        response_due_on=due,
        reason=REASONS.get(stage, ""),
    )


def _columns(text: str) -> list[str]:
    """The stages of the board's columns, in the page's order."""
    return [stage for _position, stage in sorted((text.index(f'id="column-{s}"'), s) for s in OPEN_STAGES)]


def test_the_board_has_a_column_per_open_stage_in_workflow_order(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.get(BOARD)
    assert response.status_code == 200
    assert _columns(response.text) == [stage.value for stage in OPEN_STAGES]
    assert [stage.value for stage in OPEN_STAGES] == [
        "shortlisted",
        "proposed",
        "employer_interested",
        "interview",
        "offer",
        "offer_accepted",
        "recognition",
        "permit_filed",
        "permit_granted",
        "permit_refused",
        "visa",
        "arrived",
        "started",
        "employed_6m",
        "internship_completed",  # an internship's (docs/pathways/internships.md); "returned" is closed
    ]
    for stage in CLOSED_STAGES:
        assert f'id="column-{stage}"' not in response.text


def test_a_card_shows_who_where_how_long_and_whether_the_answer_is_overdue(
    world: WebWorld, recruiter: Client
) -> None:
    Placement.objects.filter(pk=world.placement.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=12),
        response_due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    on_time = _case(world.vacancy, "proposed", days=3, due=timezone.localdate(), name="Ontime")
    text = recruiter.get(BOARD).text
    column = text[text.index('id="column-proposed"') : text.index('id="column-employer_interested"')]
    assert "Amina Benali" in column and "Lasser MIG/MAG" in column and "Lasbedrijf A" in column
    assert "12 days in this stage" in column and "3 days in this stage" in column
    assert f'href="/en/recruiter/placements/{world.placement.public_id}/"' in column
    assert column.count("board-card-overdue") == 1 and column.count(">overdue<") == 1
    # The overdue card is Amina's (longest in the stage, shown first); the on-time one has no badge.
    assert column.index("Amina Benali") < column.index(">overdue<") < column.index(str(on_time.candidate))


def test_closed_stages_are_counted_with_a_link_to_the_list(world: WebWorld, recruiter: Client) -> None:
    for stage in ("employer_declined", "employer_declined", "ended", "withdrawn", "employed_12m"):
        _case(world.vacancy, stage)
    text = recruiter.get(BOARD, {"employer": world.employer_a.pk}).text
    closed = text[text.index("Closed cases") :]
    assert f'href="{LIST}?stage=employer_declined&amp;employer={world.employer_a.pk}"' in closed
    assert "<dd>2</dd>" in closed and closed.count("<dd>1</dd>") == 3
    assert "Still employed after 12 months" in closed


def test_each_column_is_capped_with_a_link_to_the_rest(world: WebWorld, recruiter: Client) -> None:
    for index in range(CARDS_PER_COLUMN + 2):
        _case(world.vacancy, "shortlisted", days=index + 1, name=f"Short{index:02d}")
    text = recruiter.get(BOARD).text
    column = text[text.index('id="column-shortlisted"') : text.index('id="column-proposed"')]
    assert column.count('<li class="board-card') == CARDS_PER_COLUMN
    # Longest in the stage first: the two most recent are the ones left off.
    assert "Short21" in column and "Short00" not in column and "Short01" not in column
    assert "2 more" in column and f'href="{LIST}?stage=shortlisted"' in column
    listed = recruiter.get(LIST, {"stage": "shortlisted"}).text
    assert "Short00" in listed and "Short21" in listed


def test_the_board_and_the_list_share_their_filters(world: WebWorld, recruiter: Client) -> None:
    other_project = factories.ProjectFactory.create(name="AURORA")
    b_case = _case(world.other_vacancy, "interview", project=other_project, name="Builder")
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    late = _case(world.vacancy, "proposed", due=overdue, project=world.project, name="Late")

    def shown(url: str, **params: str | int) -> set[str]:
        text = recruiter.get(url, params).text
        return {name for name in ("Amina Benali", str(b_case.candidate), str(late.candidate)) if name in text}

    for url in (BOARD, LIST):
        assert shown(url) == {"Amina Benali", str(b_case.candidate), str(late.candidate)}
        assert shown(url, employer=world.employer_b.pk) == {str(b_case.candidate)}
        assert shown(url, vacancy=world.vacancy.pk) == {"Amina Benali", str(late.candidate)}
        assert shown(url, project=other_project.pk) == {str(b_case.candidate)}
        assert shown(url, overdue="on") == {str(late.candidate)}
        assert shown(url, overdue="on", project=other_project.pk) == set()


def test_each_view_links_to_the_other_with_the_same_filters(world: WebWorld, recruiter: Client) -> None:
    board = recruiter.get(BOARD, {"employer": str(world.employer_a.pk), "overdue": "on"}).text
    assert f'href="{LIST}?employer={world.employer_a.pk}&amp;overdue=on"' in board
    assert f'href="{BOARD}?employer={world.employer_a.pk}&amp;overdue=on"' in board
    assert 'aria-current="page">Board<' in board
    listed = recruiter.get(
        LIST, {"employer": str(world.employer_a.pk), "stage": "proposed", "page": "1"}
    ).text
    assert f'href="{BOARD}?employer={world.employer_a.pk}"' in listed  # the stage is the list's own
    assert 'aria-current="page">List<' in listed


def test_an_unknown_filter_value_is_refused_by_the_form_not_the_database(
    world: WebWorld, recruiter: Client
) -> None:
    response = recruiter.get(BOARD, {"employer": "not-a-number", "vacancy": "999999"})
    assert response.status_code == 200
    assert "Amina Benali" in response.text  # the invalid filters filter nothing


def _many_cases(count: int, employer: Organisation, project: Project) -> None:
    stages = [*OPEN_STAGES, *CLOSED_STAGES]
    for index in range(count):
        vacancy = published_vacancy(employer)
        _case(vacancy, stages[index % len(stages)], project=project, due=timezone.localdate())


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_board_reads_in_a_constant_number_of_queries(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    recruiter.get("/en/")  # the session's first request stamps its timestamps
    few = _count(recruiter, BOARD)
    _many_cases(60, world.employer_a, world.project)
    many = _count(recruiter, BOARD)
    assert many == few
    with django_assert_max_num_queries(10):
        response = recruiter.get(BOARD)
    stages = len(OPEN_STAGES) + len(CLOSED_STAGES)
    open_cards = sum(1 for index in range(60) if index % stages < len(OPEN_STAGES))
    assert response.text.count('<li class="board-card') == 1 + open_cards


def test_the_filtered_list_keeps_its_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    _many_cases(30, world.employer_a, world.project)
    recruiter.get("/en/")
    url = f"{LIST}?employer={world.employer_a.pk}&project={world.project.pk}"
    few = _count(recruiter, url)
    _many_cases(30, world.employer_a, world.project)
    assert _count(recruiter, url) == few
    with django_assert_max_num_queries(10):
        assert recruiter.get(url).status_code == 200
