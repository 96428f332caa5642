"""Outcomes after return: who may record them, when, the log, and the project's figures computed from it."""

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from candidates.models import Candidate
from core.models import User
from internships.models import OutcomeUpdate, ReturnOutcome
from internships.selectors import outcome_figures, outcome_history
from internships.services import OutcomeError, outcome_record
from recruitment.services.placements import placement_move
from tests import factories
from tests.internships.cases import TO_RETURN, days_ago, proposed_case, returned_case, staff, walk

pytestmark = pytest.mark.django_db
OUT = ReturnOutcome


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_each_update_is_logged_and_the_latest_one_counts() -> None:
    recruiter = staff()
    project = factories.ProjectFactory.create()
    case = returned_case(recruiter, project=project)
    today = timezone.localdate()

    outcome_record(placement=case, outcome=OUT.LOOKING, observed_on=today, actor=recruiter)
    assert outcome_figures(project=project).outcomes[-1].count == 1  # still looking
    outcome_record(
        placement=case,
        outcome=OUT.HIRED_BY_HOST_ABROAD,
        observed_on=today,
        note="Subsidiary in Sfax",
        actor=recruiter,
    )

    history = list(outcome_history(placement=case))
    assert [update.outcome for update in history] == [OUT.HIRED_BY_HOST_ABROAD, OUT.LOOKING]  # latest first
    assert history[0].recorded_by == recruiter and history[0].note == "Subsidiary in Sfax"
    figures = outcome_figures(project=project)
    assert figures.returned == 1 and figures.hired_by_host == 1 and figures.hired_by_host_percent == 100
    assert {row.outcome: row.count for row in figures.outcomes}[OUT.LOOKING] == 0


def test_the_hired_by_host_share_is_computed_over_those_returned() -> None:
    recruiter = staff()
    project = factories.ProjectFactory.create()
    outcomes = [
        OUT.HIRED_BY_HOST_HERE,
        OUT.HIRED_BY_HOST_ABROAD,
        OUT.EMPLOYED_AT_HOME,
        OUT.STUDYING,
        OUT.LOOKING,
    ]
    for outcome in outcomes:
        case = returned_case(recruiter, project=project)
        outcome_record(placement=case, outcome=outcome, observed_on=timezone.localdate(), actor=recruiter)
    returned_case(recruiter, project=project)  # back, nothing known yet
    # Completed, not back yet; and an internship still under way: neither counts as returned.
    walk(proposed_case(recruiter, project=project), recruiter, TO_RETURN[:-1])
    walk(proposed_case(recruiter, project=project), recruiter, TO_RETURN[:-2])

    figures = outcome_figures(project=project)

    assert (figures.completed, figures.returned, figures.not_yet_known) == (7, 6, 1)
    assert figures.hired_by_host == 2 and figures.hired_by_host_percent == 33  # 2 of 6
    assert figures.employed == 3 and figures.employed_percent == 50
    assert [row.count for row in figures.outcomes] == [1, 1, 1, 1, 1]
    # Another project's trainees are not counted.
    assert outcome_figures(project=factories.ProjectFactory.create()).returned == 0


def test_an_outcome_needs_a_returned_internship_and_staff() -> None:
    recruiter = staff()
    not_back = walk(proposed_case(recruiter), recruiter, TO_RETURN[:-1])
    employer_user = factories.UserFactory.create(
        role=User.Role.EMPLOYER_USER, organisation=not_back.vacancy.employer
    )
    today = timezone.localdate()

    with pytest.raises(OutcomeError) as refused:
        outcome_record(placement=not_back, outcome=OUT.LOOKING, observed_on=today, actor=recruiter)
    assert refused.value.code == "not_returned"
    back = placement_move(
        placement=not_back, to_stage="returned", actor=recruiter, expected_version=not_back.version
    )
    for actor, outcome, day, code in (
        (employer_user, OUT.LOOKING, today, "not_staff"),
        (recruiter, "promoted", today, "unknown_outcome"),
        (recruiter, OUT.LOOKING, today + datetime.timedelta(days=1), "future"),
        (recruiter, OUT.LOOKING, days_ago(3), "before_return"),
    ):
        with pytest.raises(OutcomeError) as refused:
            outcome_record(placement=back, outcome=outcome, observed_on=day, actor=actor)
        assert refused.value.code == code
    assert not OutcomeUpdate.objects.exists()


def test_an_employment_case_has_no_outcome_after_return() -> None:
    recruiter = staff()
    job = factories.VacancyFactory.create(status="published", published_at=timezone.now())
    case = proposed_case(recruiter, vacancy=job)

    with pytest.raises(OutcomeError) as refused:
        outcome_record(placement=case, outcome=OUT.LOOKING, observed_on=timezone.localdate(), actor=recruiter)
    assert refused.value.code == "not_internship"


def test_an_ended_case_takes_no_more_updates_but_keeps_its_log() -> None:
    recruiter = staff()
    project = factories.ProjectFactory.create()
    case = returned_case(recruiter, project=project)
    outcome_record(
        placement=case, outcome=OUT.EMPLOYED_AT_HOME, observed_on=timezone.localdate(), actor=recruiter
    )
    ended = placement_move(
        placement=case, to_stage="ended", actor=recruiter, expected_version=case.version, reason="other"
    )

    with pytest.raises(OutcomeError):
        outcome_record(
            placement=ended, outcome=OUT.LOOKING, observed_on=timezone.localdate(), actor=recruiter
        )
    assert outcome_figures(project=project).employed == 1  # what was reached still counts


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        ("restricted", "restricted", "This candidate's data is restricted: no outcome can be recorded."),
        ("withdrawn", "withdrawn", "This candidate has withdrawn or was erased: no outcome can be recorded."),
        (
            "anonymised",
            "withdrawn",
            "This candidate has withdrawn or was erased: no outcome can be recorded.",
        ),
    ],
)
def test_no_outcome_for_a_restricted_withdrawn_or_erased_candidate(
    status: str, code: str, message: str
) -> None:
    """GDPR art. 18: a restricted candidate's data is stored only; a withdrawn or erased one gets nothing
    more recorded (as their cases take no further move, recruitment.services.placements)."""
    recruiter = staff()
    case = returned_case(recruiter)
    # Changed after the page was read: the service reads the status afresh.
    dated = {"restricted": "restricted_at", "withdrawn": "withdrawn_at"}
    Candidate.objects.filter(pk=case.candidate_id).update(
        status=status, **({dated[status]: timezone.now()} if status in dated else {})
    )

    with pytest.raises(OutcomeError) as refused:
        outcome_record(placement=case, outcome=OUT.LOOKING, observed_on=timezone.localdate(), actor=recruiter)
    assert refused.value.code == code and refused.value.messages == [message]
    assert not OutcomeUpdate.objects.exists()
    # An active candidate's outcome is recorded (the refusal above is the status's).
    Candidate.objects.filter(pk=case.candidate_id).update(
        status="active", restricted_at=None, withdrawn_at=None
    )
    outcome_record(placement=case, outcome=OUT.LOOKING, observed_on=timezone.localdate(), actor=recruiter)
    assert OutcomeUpdate.objects.count() == 1
