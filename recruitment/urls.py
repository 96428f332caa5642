"""URLs of the browser application, mounted by config/urls.py under each language prefix.

Two areas with a namespace each: ``recruiter:`` (staff of the public employment service) and
``employer:`` (an employer's own users). Objects are addressed by their public UUIDs, never by row ids.
"""

from django.urls import path

from recruitment.views import access_log as access_log_views
from recruitment.views import (
    board,
    bulk,
    candidates,
    employer,
    projects,
    recruiter,
    reference_data,
    vacancy_projects,
)
from recruitment.views import dashboard as dashboard_views
from recruitment.views import interviews as interview_views
from recruitment.views import jobs as job_views
from recruitment.views import partner as partner_views

recruiter_patterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/mark-read/", dashboard_views.dashboard_mark_read_view, name="dashboard_mark_read"),
    path("vacancies/", recruiter.vacancy_list, name="vacancy_list"),
    path("vacancies/recompute/", job_views.bulk_recompute, name="bulk_recompute"),
    path("jobs/<uuid:public_id>/", job_views.job_detail, name="job_detail"),
    path("vacancies/<uuid:public_id>/", recruiter.vacancy_detail, name="vacancy_detail"),
    path("vacancies/<uuid:public_id>/shortlist/", recruiter.shortlist, name="shortlist"),
    path("vacancies/<uuid:public_id>/bulk/", bulk.vacancy_bulk, name="vacancy_bulk"),
    path(
        "vacancies/<uuid:public_id>/projects/",
        vacancy_projects.vacancy_projects_view,
        name="vacancy_projects",
    ),
    path("placements/", recruiter.placement_list, name="placement_list"),
    path("placements/board/", board.placement_board_view, name="placement_board"),
    path("placements/<uuid:public_id>/", recruiter.placement_detail, name="placement_detail"),
    path("placements/<uuid:public_id>/propose/", recruiter.placement_propose_view, name="placement_propose"),
    path("placements/<uuid:public_id>/move/", recruiter.placement_move_view, name="placement_move"),
    path(
        "placements/<uuid:public_id>/slots/<uuid:slot>/accept/",
        interview_views.interview_slot_accept_view,
        name="interview_slot_accept",
    ),
    path("candidates/", candidates.candidate_list, name="candidate_list"),
    path("candidates/<uuid:public_id>/", candidates.candidate_detail, name="candidate_detail"),
    path("candidates/<uuid:public_id>/notes/", candidates.candidate_note_add_view, name="candidate_note_add"),
    # Restricting the processing of a candidate's data (GDPR art. 18), and the data protection officer's
    # access log.
    path("candidates/restricted/", candidates.restricted_candidate_list, name="restricted_candidates"),
    path(
        "candidates/<uuid:public_id>/restrict/", candidates.candidate_restrict_view, name="candidate_restrict"
    ),
    path(
        "candidates/<uuid:public_id>/restriction/lift/",
        candidates.candidate_restriction_lift_view,
        name="candidate_restriction_lift",
    ),
    path("access-log/", access_log_views.access_log, name="access_log"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/<slug:project>/", projects.project_detail, name="project_detail"),
    path("projects/<slug:project>/steps/<str:step>/", projects.funnel_step, name="funnel_step"),
    # Publishing a year's thresholds or a shortage list: staff who maintain reference data.
    path("reference-data/", reference_data.reference_data, name="reference_data"),
    path("reference-data/upload/", reference_data.reference_upload, name="reference_upload"),
    path("reference-data/preview/<str:token>/", reference_data.reference_preview, name="reference_preview"),
    path(
        "reference-data/preview/<str:token>/publish/",
        reference_data.reference_publish_view,
        name="reference_publish",
    ),
]

employer_patterns = [
    path("vacancies/", employer.vacancy_list, name="vacancy_list"),
    path("vacancies/<uuid:public_id>/", employer.vacancy_detail, name="vacancy_detail"),
    path("vacancies/new/", employer.vacancy_create, name="vacancy_create"),
    path("vacancies/<uuid:public_id>/edit/", employer.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<uuid:public_id>/publish/", employer.vacancy_publish, name="vacancy_publish"),
    path("vacancies/<uuid:public_id>/close/", employer.vacancy_close, name="vacancy_close"),
    path("proposals/<uuid:public_id>/", employer.proposal_detail, name="proposal_detail"),
    path("proposals/<uuid:public_id>/move/", employer.proposal_move, name="proposal_move"),
    path("proposals/<uuid:public_id>/slots/", employer.proposal_slots, name="proposal_slots"),
    path(
        "proposals/<uuid:public_id>/slots/<uuid:slot>/cancel/",
        employer.proposal_slot_cancel,
        name="proposal_slot_cancel",
    ),
]

# A partner agency's users: the candidates their organisation registered.
partner_patterns = [
    path("candidates/", partner_views.candidate_list, name="candidate_list"),
    path("candidates/<uuid:public_id>/", partner_views.candidate_detail, name="candidate_detail"),
]
