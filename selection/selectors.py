"""Reads of the selection pathway: the funnel of a project's steps, its candidates and results, job
datings for staff and for the employers they invite. Selectors never write.

The funnel is computed from the results (one grouped query), never stored: "1,000 took the online
test, 200 passed" is what the rows say today.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from candidates.models import Candidate, Consent, LanguageProficiency
from core.models import Organisation
from projects.models import Project
from recruitment.models.placements import EMPLOYER_VISIBLE_STATUSES
from recruitment.selectors.video_cv import video_cv_links_for_employer
from selection.eligibility import eligible_candidates
from selection.models import (
    PROCESSABLE_STATUSES,
    JobDating,
    JobDatingInvitation,
    SelectionResult,
    SelectionStep,
    Verdict,
)


@dataclass(frozen=True)
class StepFigures:
    """One step of the funnel: how many entered it (have a result) and how each result ended."""

    step: SelectionStep
    entered: int
    passed: int
    failed: int
    absent: int

    @property
    def pass_rate_percent(self) -> int | None:
        return round(100 * self.passed / self.entered) if self.entered else None


def project_steps(*, project: Project) -> list[SelectionStep]:
    return list(SelectionStep.objects.filter(project=project).order_by("position"))


def step_funnel(*, project: Project) -> list[StepFigures]:
    """Each step of the project, in order, with its figures (one query)."""
    steps = SelectionStep.objects.filter(project=project).annotate(
        entered=Count("results"),
        passed=Count("results", filter=Q(results__verdict=Verdict.PASSED)),
        failed=Count("results", filter=Q(results__verdict=Verdict.FAILED)),
        absent=Count("results", filter=Q(results__verdict=Verdict.ABSENT)),
    )
    return [
        StepFigures(
            step=step, entered=step.entered, passed=step.passed, failed=step.failed, absent=step.absent
        )
        for step in steps.order_by("position")
    ]


def project_candidates(*, project: Project, passed_step: SelectionStep | None = None) -> QuerySet[Candidate]:
    """The project's candidates staff may process, by name, each with their results prefetched
    (``selection_results``); only those who passed ``passed_step`` when given."""
    candidates = Candidate.objects.filter(project=project, status__in=PROCESSABLE_STATUSES)
    if passed_step is not None:
        candidates = candidates.filter(
            Exists(
                SelectionResult.objects.filter(
                    candidate_id=OuterRef("pk"), step=passed_step, verdict=Verdict.PASSED
                )
            )
        )
    return candidates.order_by("family_name", "given_name", "pk").prefetch_related(
        Prefetch("selection_results", queryset=SelectionResult.objects.select_related("step"))
    )


def eligible_for(event: JobDating) -> QuerySet[Candidate]:
    """Candidates who may be invited to ``event`` now (``selection.eligibility``), by name."""
    return eligible_candidates(event).order_by("family_name", "given_name", "pk")


def _name_filter(search: str, prefix: str = "") -> Q:
    """Every word of ``search`` in the given or the family name (case-insensitive)."""
    condition = Q()
    for word in search.split():
        condition &= Q(**{f"{prefix}given_name__icontains": word}) | Q(
            **{f"{prefix}family_name__icontains": word}
        )
    return condition


def invitable(*, event: JobDating, search: str = "") -> QuerySet[Candidate]:
    """Candidates who may be invited to ``event`` now and are not invited yet, by name; only those whose
    name has every word of ``search`` when given. The staff page shows one page of them at a time."""
    invited = JobDatingInvitation.objects.filter(event=event, candidate_id=OuterRef("pk"))
    return eligible_for(event).filter(_name_filter(search)).exclude(Exists(invited))


def event_invitations(*, event: JobDating, search: str = "") -> QuerySet[JobDatingInvitation]:
    """The event's invitations, the earliest first, with their candidate; filtered by name like
    ``invitable``."""
    return (
        JobDatingInvitation.objects.filter(event=event)
        .filter(_name_filter(search, prefix="candidate__"))
        .select_related("candidate")
        .order_by("invited_at", "pk")
    )


def project_job_datings(*, project: Project) -> QuerySet[JobDating]:
    return (
        JobDating.objects.filter(project=project)
        .select_related("required_step")
        .annotate(invited=Count("invitations", distinct=True))
        .order_by("-held_on", "pk")
    )


def job_datings_for_staff() -> QuerySet[JobDating]:
    return JobDating.objects.select_related("project", "required_step")


def employer_choices() -> QuerySet[Organisation]:
    """Employers a job dating may invite: those in good standing."""
    return Organisation.objects.employers().in_good_standing().order_by("name")


def job_datings_for_employer(*, organisation_id: int) -> QuerySet[JobDating]:
    """The events ``organisation_id`` is invited to, whatever their status (a cancelled one too)."""
    return (
        JobDating.objects.filter(employers=organisation_id)
        .select_related("project")
        .order_by("-held_on", "pk")
    )


@dataclass(frozen=True)
class InvitedProfile:
    """An invited candidate as the employer sees them: a pseudonym, what they can do, and the video-CV
    link only with its consent for this employer. Never a name, contact details or nationality."""

    reference: str
    languages: list[tuple[str, str]]  # (language, weakest CEFR level or "native")
    occupations: list[str]
    available_from: object
    video_cv_url: str


def _weakest(row: LanguageProficiency) -> str:
    if row.is_native:
        return "native"
    levels = [row.listening, row.reading, row.spoken_interaction, row.spoken_production, row.writing]
    return min((level for level in levels if level), default="")


def invited_profiles(*, event: JobDating, organisation_id: int) -> list[InvitedProfile]:
    """The invited candidates of ``event`` the employer may see now. Each condition of the invitation is
    checked again, as it may have changed since: the candidate still consents to share their profile
    with it (a withdrawal hides them at once), still has "passed" at the event's required step (a
    result corrected since hides them) and is not withdrawn, restricted or erased; and the employer is
    in good standing (a suspended employer sees nobody). A fixed number of queries, whatever the number
    of candidates."""
    if not Organisation.objects.in_good_standing().filter(pk=organisation_id).exists():
        return []
    sharing = Consent.objects.in_force().filter(
        candidate_id=OuterRef("candidate_id"),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient_id=organisation_id,
    )
    passed = SelectionResult.objects.filter(
        candidate_id=OuterRef("candidate_id"), step_id=event.required_step_id, verdict=Verdict.PASSED
    )
    invitations = list(
        JobDatingInvitation.objects.filter(event=event, candidate__status__in=EMPLOYER_VISIBLE_STATUSES)
        .filter(Exists(sharing), Exists(passed))
        .select_related("candidate")
        .prefetch_related("candidate__languages", "candidate__desired_occupations")
        .order_by("invited_at", "pk")
    )
    links = video_cv_links_for_employer(
        employer_id=organisation_id, candidate_ids=[invitation.candidate_id for invitation in invitations]
    )
    profiles = []
    for invitation in invitations:
        candidate = invitation.candidate
        profiles.append(
            InvitedProfile(
                reference=invitation.reference,
                languages=[(row.get_language_display(), _weakest(row)) for row in candidate.languages.all()],
                occupations=sorted(
                    str(occupation.label) for occupation in candidate.desired_occupations.all()
                ),
                available_from=candidate.available_from,
                video_cv_url=links.get(candidate.pk, ""),
            )
        )
    return profiles
