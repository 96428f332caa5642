"""Reads across the recruitment domain."""

from candidates.models import Candidate
from projects.models import Project
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
