"""The pages of this app, mounted per audience in config/urls.py (recruiter, employer, partner)."""

from django.urls import URLPattern, path

from costs import views

recruiter_patterns: list[URLPattern] = [
    path("", views.incident_queue, name="incidents"),
    path("cases/<uuid:public_id>/", views.staff_case, name="case"),
    path("cases/<uuid:public_id>/record/", views.staff_case_record, name="record"),
    path("costs/<uuid:public_id>/refund/", views.staff_refund, name="refund"),
    path("costs/<uuid:public_id>/void/", views.staff_void, name="void"),
]
employer_patterns: list[URLPattern] = [
    path("cases/<uuid:public_id>/", views.employer_case, name="case"),
]
partner_patterns: list[URLPattern] = [
    path("", views.partner_cases, name="cases"),
    path("cases/<uuid:public_id>/", views.partner_case, name="case"),
    path("cases/<uuid:public_id>/record/", views.partner_case_record, name="record"),
]
