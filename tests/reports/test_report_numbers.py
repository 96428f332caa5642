"""The report's numbers (reports/selectors/): identical to the funnel's, for the whole project and each
cohort, in a world with cases at several stages, an anonymised candidate and an erased one whose steps
only ``RetainedFunnelStep`` still proves; dated by the move log; the share of women with small numbers
suppressed; lead times by route; placements per employer and sector."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate, Consent, RecognitionStep
from privacy.services.erasure import candidate_erase
from projects.models import FunnelRecord, FunnelStep, FunnelTarget
from recruitment.models import Placement, PlacementTransition, RetainedFunnelStep
from recruitment.selectors import funnel
from reports.selectors.lead_times import (
    EVERY_ROUTE,
    UNKNOWN_ROUTE,
    lead_times,
    percentile,
    recognition_times,
)
from reports.selectors.outcomes import (
    Period,
    _women_hidden,
    documented_figures,
    outcomes_beyond_the_funnel,
    outcomes_over_time,
    women_share,
)
from reports.selectors.placements import placements_per_employer, placements_per_sector
from reports.selectors.report import project_report
from tests import factories
from tests.recruitment.test_funnel import TO_STARTED, FunnelWorld, _case, build_funnel_world
from tests.web.world import matched_candidate, published_vacancy

pytestmark = pytest.mark.django_db


def _erased_after_an_offer(world: FunnelWorld) -> Candidate:
    """A candidate of cohort 1 offered a job, the case ended before the permit, then erased: the case is
    deleted (no legal hold before a permit application), its steps retained without a date."""
    vacancy = Placement.objects.filter(candidate=world.started).first().vacancy  # type: ignore[union-attr]
    candidate = matched_candidate(
        vacancy, registered_by=world.started.registered_by, project=world.project, cohort=world.cohort_1
    )
    _case(
        vacancy,
        candidate,
        world.recruiter,
        "employer_interested",
        "interview",
        "offer",
        "ended",
        reason="salary",
    )
    candidate_erase(candidate=candidate, by=world.recruiter)
    return candidate


@pytest.fixture
def world() -> FunnelWorld:
    return build_funnel_world()


def test_the_report_counts_what_the_funnel_counts(world: FunnelWorld) -> None:
    erased = _erased_after_an_offer(world)
    assert not Placement.objects.filter(candidate=erased).exists()
    assert set(RetainedFunnelStep.objects.filter(candidate=erased).values_list("step", flat=True)) >= {
        "proposed",
        "interviewed",
        "offered",
    }
    FunnelTarget.objects.create(project=world.project, step=FunnelStep.STARTED, count=4)
    FunnelTarget.objects.create(
        project=world.project, cohort=world.cohort_1, step=FunnelStep.OFFERED, count=2
    )
    for cohort in (None, world.cohort_1, world.cohort_2):
        counts = funnel.funnel_counts(project=world.project, cohort=cohort)
        targets = funnel.funnel_targets(project=world.project, cohort=cohort)
        for period in Period:
            report = outcomes_over_time(project=world.project, cohort=cohort, period=period)
            assert {step.step: step.total for step in report.steps} == counts
            assert {step.step: step.target for step in report.steps if step.target is not None} == targets
            for step in report.steps:
                # Every candidate of the step is in a period or among the undated: nobody lost or added.
                assert sum(step.by_period.values()) + step.undated == step.total
        women = women_share(project=world.project, cohort=cohort)
        assert {row.step: row.candidates for row in women.steps} == counts
    # Not a world where everything is zero: the erased candidate's offer counts, without a date.
    whole = {step.step: step for step in outcomes_over_time(project=world.project).steps}
    assert whole["offered"].total == 2 and whole["offered"].undated == 1
    assert whole["started"].total == 1 and whole["started"].undated == 0
    assert whole["registered"].total == 6
    assert whole["started"].target == 4


def test_the_page_and_the_funnel_page_show_the_same_rows(world: FunnelWorld) -> None:
    _erased_after_an_offer(world)
    report = project_report(project=world.project, cohort=world.cohort_1)
    assert report.outcomes.funnel_rows == funnel.project_funnel(project=world.project, cohort=world.cohort_1)


def _move_dates(placement: Placement, days_ago: dict[str, int]) -> None:
    now = timezone.now()
    for stage, days in days_ago.items():
        PlacementTransition.objects.filter(placement=placement, to_stage=stage).update(
            at=now - datetime.timedelta(days=days)
        )


def test_each_candidate_is_dated_by_the_first_move_to_the_step(world: FunnelWorld) -> None:
    """The started candidate has two cases: proposed long ago in one, recently in the other; the step is
    dated by the earliest move."""
    first, second = Placement.objects.filter(candidate=world.started).order_by("pk")
    _move_dates(first, {"proposed": 100, "started": 3})
    _move_dates(second, {"proposed": 400})
    today = timezone.localdate()
    report = outcomes_over_time(project=world.project, cohort=world.cohort_1, period=Period.MONTH)
    steps = {step.step: step for step in report.steps}
    long_ago = timezone.localtime(timezone.now() - datetime.timedelta(days=400)).date().replace(day=1)
    recently = timezone.localtime(timezone.now() - datetime.timedelta(days=3)).date().replace(day=1)
    assert steps["proposed"].by_period == {long_ago: 1}
    assert steps["started"].by_period == {recently: 1}
    # Every month from the first date to the last, none skipped.
    # Every month from the first date (the trained candidate's programme, June 2025) to the last.
    assert report.periods[0] == min(long_ago, datetime.date(2025, 6, 1)) and recently in report.periods
    months = [day.year * 12 + day.month for day in report.periods]
    assert months == list(range(months[0], months[-1] + 1))
    assert steps["started"].cumulative(report.periods)[-1] == 1
    assert report.periods[-1] <= today
    quarters = outcomes_over_time(project=world.project, cohort=world.cohort_1, period=Period.QUARTER)
    assert all(day.month in (1, 4, 7, 10) and day.day == 1 for day in quarters.periods)


def _declare(project_world: FunnelWorld, sexes: list[str]) -> None:
    vacancy = published_vacancy(project_world.started.placements.first().vacancy.employer)  # type: ignore[union-attr]
    for sex in sexes:
        matched_candidate(
            vacancy,
            registered_by=project_world.started.registered_by,
            project=project_world.project,
            cohort=project_world.cohort_2,
            sex=sex,
        )


def test_the_share_of_women_is_of_those_who_declared_and_hidden_below_five(world: FunnelWorld) -> None:
    world.project.target_women_percent = 30
    world.project.save(update_fields=["target_women_percent"])
    _declare(world, ["female", "female", "male", "x"])
    registered = women_share(project=world.project).steps[0]
    assert (registered.step, registered.declared, registered.percent, registered.women) == (
        "registered",
        4,
        None,
        0,
    )
    assert registered.suppressed
    # Five women among seven declared: the count of women would tell that two declared something else
    # (declared minus women), a group of two: hidden as well.
    _declare(world, ["female", "female", "female"])
    registered = women_share(project=world.project).steps[0]
    assert (registered.declared, registered.women, registered.percent) == (7, 0, None)
    assert registered.small_split and not registered.suppressed
    _declare(world, ["male", "male", "male"])
    shares = women_share(project=world.project)
    registered = shares.steps[0]
    assert (registered.declared, registered.women, registered.percent) == (10, 5, 50)
    assert registered.candidates == funnel.funnel_counts(project=world.project)["registered"]
    assert not registered.suppressed and not registered.small_split and shares.target_percent == 30
    # Cohort 1 has no declarations at all: nothing to suppress, nothing shown.
    cohort_1 = women_share(project=world.project, cohort=world.cohort_1).steps[0]
    assert (cohort_1.declared, cohort_1.percent, cohort_1.suppressed) == (0, None, False)


@pytest.mark.parametrize(
    ("declared", "women", "hidden"),
    [(4, 2, True), (10, 4, True), (10, 6, True), (10, 5, False), (10, 0, False), (10, 10, False)],
)
def test_a_small_group_of_women_or_of_the_others_is_hidden(declared: int, women: int, hidden: bool) -> None:
    """1 to 4 women, or 1 to 4 who are not (declared minus women), is hidden; none or all tells nothing
    about one person that the group does not."""
    assert _women_hidden(declared, women) is hidden


def test_the_share_of_women_evaluates_each_steps_condition_once(world: FunnelWorld) -> None:
    """Grouped by sex: one count per step, not three (the step's subqueries are the costly part)."""
    with CaptureQueriesContext(connection) as queries:
        women_share(project=world.project)
    assert len(queries) == 1
    assert queries[0]["sql"].upper().count("COUNT(") == len(FunnelStep)


def _route_kept(placement: Placement, route: str) -> None:
    PlacementTransition.objects.filter(placement=placement, to_stage="proposed").update(
        explanation={
            "routes": [
                {"route": "eu_blue_card", "outcome": "ineligible"},
                {"route": route, "outcome": "eligible"},
            ]
        }
    )


def test_lead_times_are_median_and_p90_days_by_route(world: FunnelWorld) -> None:
    vacancy = Placement.objects.filter(candidate=world.started).first().vacancy  # type: ignore[union-attr]
    permits = []
    for days in (10, 20, 30, 40, 50, 100):
        candidate = matched_candidate(
            vacancy, registered_by=world.started.registered_by, project=world.project
        )
        case = _case(vacancy, candidate, world.recruiter, *TO_STARTED)
        _move_dates(case, {"permit_filed": days + 5, "permit_granted": 5})
        _route_kept(case, "highly_skilled" if days < 100 else "medium_skilled_shortage")
        permits.append(case)
    found = {(row.stage, row.route): row for row in lead_times(project=world.project)}
    every = found[("permit", EVERY_ROUTE)]
    # The started candidate of the world too: a permit in no time, its route not known.
    assert every.cases == 7
    assert (every.median_days, every.p90_days) == (30.0, 100.0)
    highly = found[("permit", "highly_skilled")]
    assert (highly.cases, highly.median_days, highly.p90_days) == (5, 30.0, 50.0)
    # A route with fewer than five cases would show one person's own time: not shown.
    for route in (UNKNOWN_ROUTE, "medium_skilled_shortage"):
        alone = found[("permit", route)]
        assert (alone.cases, alone.median_days, alone.p90_days, alone.suppressed) == (1, None, None, True)
    # Nobody went through recognition: counted as none, no route rows.
    assert found[("recognition", EVERY_ROUTE)].cases == 0
    assert not [key for key in found if key[0] == "recognition" and key[1] != EVERY_ROUTE]


def test_percentile_is_nearest_rank() -> None:
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == 9.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0


def test_placements_per_employer_and_sector_count_cases(world: FunnelWorld) -> None:
    other_employer = published_vacancy(
        type(world.started.registered_by).objects.create(
            name="Zorg NV", kind="employer", country="BE", region="VLG"
        )
    )
    factories.ConsentFactory.create(
        candidate=world.trained_and_matched,
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient=other_employer.employer,
    )
    _case(
        other_employer,
        world.trained_and_matched,
        world.recruiter,
        "employer_interested",
        "interview",
        "offer",
    )
    by_employer = placements_per_employer(project=world.project)
    first_employer = Placement.objects.filter(candidate=world.started).first().vacancy.employer  # type: ignore[union-attr]
    rows = {row.label: (row.proposed, row.offered, row.started) for row in by_employer}
    # The world's employer: declined, started (two cases, one only proposed) and the anonymised one's.
    assert rows == {first_employer.name: (4, 1, 1), "Zorg NV": (1, 1, 0)}
    assert by_employer[0].label == first_employer.name  # the most started first
    by_sector = placements_per_sector(project=world.project)
    assert sum(row.proposed for row in by_sector) == 5
    assert all(len(row.key) == 2 for row in by_sector)


def test_another_projects_cases_never_count(world: FunnelWorld) -> None:
    report = project_report(project=world.other_project)
    steps = {step.step: step.total for step in report.outcomes.steps}
    assert steps["employed_12m"] == 1 and steps["registered"] == 1
    assert [row.proposed for row in report.per_employer] == [1]


def test_recognition_times_per_authority_and_the_other_outcomes(world: FunnelWorld) -> None:
    # Every candidate of the world has a diploma with a recognition requested (pending): decide three.
    decided = [world.started, world.declined, world.trained_and_matched]
    for days, candidate, authority, outcome in zip(
        (30, 90, 200),
        decided,
        ("naric_vl", "naric_vl", "fod_vg"),
        ("level_equivalence", "refused", "licence_granted"),
        strict=True,
    ):
        step = RecognitionStep.objects.get(diploma__candidate=candidate)
        RecognitionStep.objects.filter(pk=step.pk).update(
            authority=authority,
            outcome=outcome,
            recognised_isced_level=6 if outcome == "level_equivalence" else None,
            decided_on=step.requested_on + datetime.timedelta(days=days),
        )
    times = {row.authority: row for row in recognition_times(project=world.project)}
    # Fewer than five decisions: one person's own time, not shown.
    assert (times[EVERY_ROUTE].decisions, times[EVERY_ROUTE].median_days, times[EVERY_ROUTE].p90_days) == (
        3,
        None,
        None,
    )
    assert times["fod_vg"].suppressed and times["fod_vg"].p90_days is None
    # Three more decisions of NARIC on the started candidate's diploma: five in all.
    naric = RecognitionStep.objects.get(diploma__candidate=world.started)
    for days in (10, 120, 150):
        RecognitionStep.objects.create(
            diploma=naric.diploma,
            authority="naric_vl",
            outcome="refused",
            requested_on=naric.requested_on,
            decided_on=naric.requested_on + datetime.timedelta(days=days),
        )
    times = {row.authority: row for row in recognition_times(project=world.project)}
    assert (times["naric_vl"].decisions, times["naric_vl"].median_days, times["naric_vl"].p90_days) == (
        5,
        90.0,
        150.0,
    )
    assert (times[EVERY_ROUTE].decisions, times[EVERY_ROUTE].median_days) == (6, 105.0)
    assert times["fod_vg"].median_days is None
    # The outsider's recognition is another project's.
    RecognitionStep.objects.filter(diploma__candidate=world.outsider).update(
        outcome="licence_granted", decided_on=timezone.localdate()
    )
    other = {row.code: row.candidates for row in outcomes_beyond_the_funnel(project=world.project)}
    assert other == {"through_recognition": 0, "recognised": 2}  # a refusal recognises nothing
    vacancy = Placement.objects.filter(candidate=world.started).first().vacancy  # type: ignore[union-attr]
    candidate = matched_candidate(
        vacancy, registered_by=world.started.registered_by, project=world.project, cohort=world.cohort_2
    )
    recognising = _case(vacancy, candidate, world.recruiter, *TO_STARTED[:4], "recognition", "permit_filed")
    _move_dates(recognising, {"recognition": 45, "permit_filed": 3})
    other = {row.code: row.candidates for row in outcomes_beyond_the_funnel(project=world.project)}
    assert other["through_recognition"] == 1
    through = {(row.stage, row.route): row for row in lead_times(project=world.project)}
    assert (
        through[("recognition", EVERY_ROUTE)].cases,
        through[("recognition", EVERY_ROUTE)].median_days,
    ) == (
        1,
        None,  # one case: its own time, not shown
    )
    cohort_2 = {
        row.code: row.candidates
        for row in outcomes_beyond_the_funnel(project=world.project, cohort=world.cohort_2)
    }
    assert cohort_2["recognised"] == 0


def test_documented_figures_are_the_projects_or_the_cohorts(world: FunnelWorld) -> None:
    FunnelRecord.objects.create(project=world.project, stage="selected", count=120, source="enabel.be")
    FunnelRecord.objects.create(
        project=world.project, cohort=world.cohort_1, stage="arrived", count=22, source="knack.be"
    )
    assert [r.count for r in documented_figures(project=world.project)] == [120]
    assert [r.count for r in documented_figures(project=world.project, cohort=world.cohort_1)] == [22]
