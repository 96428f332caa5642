"""Reads across the recruitment domain. Selectors never write."""

from candidates.models import Candidate
from projects.models import Project
from recruitment.models import Match, MatchJob, MatchQuerySet
from reference.models import EscoOccupation
from vacancies.models import Vacancy


def platform_counts() -> dict[str, int]:
    """Aggregate counts for the public landing page: no personal data, no per-organisation figures."""
    return {
        "projects": Project.objects.count(),
        "vacancies": Vacancy.objects.open().count(),
        "candidates": Candidate.objects.visible().count(),
        "occupations": EscoOccupation.objects.count(),
    }


def matches_for_vacancy(vacancy: Vacancy, *, outcome: str | None = None) -> MatchQuerySet:
    """A vacancy's stored matches, best score first (ties by candidate id): the recruiter's shortlist.

    ``outcome``: ``eligible`` or ``conditional`` (near-misses are shown apart); None for both.
    """
    matches = Match.objects.filter(vacancy=vacancy)
    if outcome is not None:
        matches = matches.filter(outcome=outcome)
    return matches.select_related("candidate").ranked()


def matches_for_candidate(candidate: Candidate, *, outcome: str | None = None) -> MatchQuerySet:
    """The open vacancies one candidate matches, best score first (ties by vacancy id)."""
    matches = Match.objects.filter(candidate=candidate)
    if outcome is not None:
        matches = matches.filter(outcome=outcome)
    return matches.select_related("vacancy", "vacancy__employer").order_by("-score", "vacancy_id")


def match_job_for(vacancy: Vacancy) -> MatchJob | None:
    """The vacancy's latest match job (for a progress display or an operator)."""
    return MatchJob.objects.filter(vacancy=vacancy).order_by("-created_at", "-pk").first()
