"""The reports pages, mounted by config/urls.py at /<lang>/recruiter/reports/ (namespace ``reports``)."""

from django.urls import URLPattern, URLResolver, path

from reports import views

recruiter_patterns: list[URLPattern | URLResolver] = [
    path("projects/<slug:project>/", views.project_report_page, name="project_report"),
    path("projects/<slug:project>/xlsx/", views.project_report_xlsx, name="project_report_xlsx"),
]
