"""An internship case's path (recruitment.workflow): trainee permit, visa, arrival, internship started,
completed, returned; no 6- or 12-month retention steps, and an employment never takes the internship's."""

from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from recruitment.models import PlacementTransition
from recruitment.services.placements import PlacementError, placement_move
from recruitment.views.placements import allowed_moves
from recruitment.workflow import FINAL_STAGES, Stage, next_stages
from tests import factories
from tests.internships.cases import TO_RETURN, proposed_case, staff, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_the_table_splits_the_paths_after_the_start() -> None:
    assert next_stages(Stage.STARTED, needs_recognition=False, internship=True) == {
        Stage.INTERNSHIP_COMPLETED,
        Stage.ENDED,
    }
    assert next_stages(Stage.STARTED, needs_recognition=False) == {Stage.EMPLOYED_6M, Stage.ENDED}
    assert next_stages(Stage.INTERNSHIP_COMPLETED, needs_recognition=False, internship=True) == {
        Stage.RETURNED,
        Stage.ENDED,
    }
    # Back home, the case stays open for the follow-up after return, until it is ended.
    assert Stage.RETURNED not in FINAL_STAGES
    assert next_stages(Stage.RETURNED, needs_recognition=False, internship=True) == {Stage.ENDED}


def test_a_recruiter_takes_an_internship_from_the_proposal_to_the_return() -> None:
    recruiter = staff()
    placement = walk(proposed_case(recruiter), recruiter, TO_RETURN)

    assert placement.stage == Stage.RETURNED
    moves = list(PlacementTransition.objects.filter(placement=placement).values_list("to_stage", flat=True))
    assert moves == ["shortlisted", "proposed", *TO_RETURN]


def test_the_retention_steps_do_not_apply_to_an_internship() -> None:
    recruiter = staff()
    started = walk(proposed_case(recruiter), recruiter, TO_RETURN[: TO_RETURN.index("started") + 1])

    with pytest.raises(PlacementError) as refused:
        placement_move(
            placement=started, to_stage="employed_6m", actor=recruiter, expected_version=started.version
        )
    assert refused.value.code == "transition_not_allowed"
    started.refresh_from_db()
    assert started.stage == Stage.STARTED
    labels = [move.label for move in allowed_moves(started, by_employer=False)]
    assert "Internship completed" in labels and "Still employed after 6 months" not in labels


def test_an_employment_never_takes_the_internships_steps() -> None:
    recruiter = staff()
    job = factories.VacancyFactory.create(status="published", published_at=timezone.now())
    started = walk(
        proposed_case(recruiter, vacancy=job), recruiter, TO_RETURN[: TO_RETURN.index("started") + 1]
    )

    with pytest.raises(PlacementError):
        placement_move(
            placement=started,
            to_stage="internship_completed",
            actor=recruiter,
            expected_version=started.version,
        )
    labels = [move.label for move in allowed_moves(started, by_employer=False)]
    assert labels[0] == "Still employed after 6 months"


def test_the_start_button_says_internship_on_an_internship() -> None:
    recruiter = staff()
    arrived = walk(proposed_case(recruiter), recruiter, TO_RETURN[: TO_RETURN.index("arrived") + 1])

    assert "Internship started" in [move.label for move in allowed_moves(arrived, by_employer=False)]
