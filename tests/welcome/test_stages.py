"""The table from case stages to groups of pages (welcome/stages.py): no database."""

import pytest

from recruitment.workflow import FINAL_STAGES, Stage
from welcome.models import StageGroup
from welcome.stages import (
    NO_CASE_GROUPS,
    OPEN_STAGES,
    STAGE_GROUPS,
    Group,
    groups_for_stage,
    stages_for_group,
)


def test_every_stage_of_the_workflow_has_its_row() -> None:
    assert set(STAGE_GROUPS) == set(Stage)


def test_a_closed_case_shows_no_page() -> None:
    for stage in FINAL_STAGES:
        assert groups_for_stage(stage) == frozenset()
    assert OPEN_STAGES.isdisjoint(FINAL_STAGES)


@pytest.mark.parametrize(
    ("stage", "groups"),
    [
        (Stage.SHORTLISTED, {Group.BEFORE_DEPARTURE}),
        (Stage.INTERVIEW, {Group.BEFORE_DEPARTURE}),
        (Stage.OFFER, {Group.BEFORE_DEPARTURE, Group.OFFER_AND_PERMIT}),
        (Stage.PERMIT_REFUSED, {Group.BEFORE_DEPARTURE, Group.OFFER_AND_PERMIT}),
        (Stage.VISA, {Group.BEFORE_DEPARTURE, Group.OFFER_AND_PERMIT, Group.BEFORE_TRAVEL}),
        (Stage.ARRIVED, {Group.OFFER_AND_PERMIT, Group.ON_ARRIVAL}),
        (Stage.STARTED, {Group.ON_ARRIVAL, Group.AFTER_STARTING}),
        (Stage.EMPLOYED_12M, {Group.ON_ARRIVAL, Group.AFTER_STARTING}),
    ],
)
def test_each_stage_shows_the_groups_that_still_help(stage: Stage, groups: set[Group]) -> None:
    assert groups_for_stage(stage) == groups


def test_every_group_is_reached_by_some_stage_and_the_inverse_agrees() -> None:
    for group in Group:
        stages = stages_for_group(group)
        assert stages, group
        assert all(group in STAGE_GROUPS[stage] for stage in stages)
        assert all(group not in STAGE_GROUPS[stage] for stage in set(Stage) - stages)


def test_without_a_case_a_candidate_sees_the_pages_before_departure() -> None:
    assert {Group.BEFORE_DEPARTURE} == NO_CASE_GROUPS


def test_an_unknown_stage_shows_nothing() -> None:
    assert groups_for_stage("not-a-stage") == frozenset()


def test_the_model_choices_mirror_the_groups_in_order() -> None:
    assert StageGroup.values == [group.value for group in Group]
