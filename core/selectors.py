"""Reads of the shared kernel."""

from django.apps import apps


def platform_counts() -> dict[str, int]:
    """Aggregate counts for the landing page: no personal data, no per-organisation figures."""
    labels = {
        "projects": "projects.Project",
        "vacancies": "vacancies.Vacancy",
        "candidates": "candidates.Candidate",
        "occupations": "reference.EscoOccupation",
    }
    return {key: apps.get_model(label).objects.count() for key, label in labels.items()}
