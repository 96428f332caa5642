"""The fairness pages, mounted by config/urls.py under /<lang>/recruiter/fairness/ (``fairness:``)."""

from django.urls import URLPattern, URLResolver, path

from fairness import views

recruiter_patterns: list[URLPattern | URLResolver] = [
    path("vacancies/<uuid:public_id>/", views.vacancy_fairness, name="vacancy"),
    # ?cohort=<id> narrows it to one cohort, as on the project's page.
    path("projects/<slug:project>/", views.project_fairness, name="project"),
]
