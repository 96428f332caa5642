"""The pages of this app, mounted per audience in config/urls.py (recruiter, employer, partner)."""

from django.urls import URLPattern, path

from internships import views

recruiter_patterns: list[URLPattern] = [
    path("", views.internship_index, name="index"),
    path("projects/<slug:project>/", views.project_internships, name="project"),
    path("cases/<uuid:public_id>/", views.case_outcomes, name="case_outcomes"),
]
# Employers and partners follow an internship case on their usual case pages; the figures after return
# are the organiser's (staff only).
employer_patterns: list[URLPattern] = []
partner_patterns: list[URLPattern] = []
