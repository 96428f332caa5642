"""The pages of this app, mounted per audience in config/urls.py (recruiter, employer, partner)."""

from django.urls import URLPattern, path

from agreements import views

recruiter_patterns: list[URLPattern] = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("<slug:code>/", views.agreement_detail, name="detail"),
    path("<slug:code>/edit/", views.agreement_edit, name="edit"),
]
employer_patterns: list[URLPattern] = []
partner_patterns: list[URLPattern] = [
    path("shared/", views.shared_vacancy_list, name="shared_list"),
]
