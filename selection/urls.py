"""The pages of this app, mounted per audience in config/urls.py (recruiter, employer, partner)."""

from django.urls import URLPattern, path

from selection import views

recruiter_patterns: list[URLPattern] = [
    path("projects/<slug:project>/", views.project_selection, name="project"),
    path("projects/<slug:project>/steps/", views.step_add, name="step_add"),
    # ?passed=<step id> lists only those who passed that step.
    path("projects/<slug:project>/candidates/", views.candidate_list, name="candidates"),
    path("projects/<slug:project>/results/", views.result_record, name="result_record"),
    path("projects/<slug:project>/job-datings/", views.job_dating_create, name="job_dating_create"),
    path("job-datings/<uuid:public_id>/", views.job_dating_detail, name="job_dating"),
    path("job-datings/<uuid:public_id>/invite/", views.job_dating_invite, name="job_dating_invite"),
    path("job-datings/<uuid:public_id>/cancel/", views.job_dating_cancel, name="job_dating_cancel"),
    path("job-datings/<uuid:public_id>/held/", views.job_dating_held, name="job_dating_held"),
]
employer_patterns: list[URLPattern] = [
    path("job-datings/", views.employer_job_datings, name="job_datings"),
    path("job-datings/<uuid:public_id>/", views.employer_job_dating, name="job_dating"),
]
# Partner agencies read their candidates' progress through the partner API's candidate payload; no
# selection page of their own yet (docs/pathways/selection.md, "What is left").
partner_patterns: list[URLPattern] = []
