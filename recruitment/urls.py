"""URLs of the browser application, mounted by config/urls.py under each language prefix.

Two areas with a namespace each: ``recruiter:`` (staff of the public employment service) and
``employer:`` (an employer's own users). Objects are addressed by their public UUIDs, never by row ids.
"""

from django.urls import path

from recruitment.views import employer, recruiter

recruiter_patterns = [
    path("vacancies/", recruiter.vacancy_list, name="vacancy_list"),
    path("vacancies/<uuid:public_id>/", recruiter.vacancy_detail, name="vacancy_detail"),
    path("vacancies/<uuid:public_id>/shortlist/", recruiter.shortlist, name="shortlist"),
    path("placements/", recruiter.placement_list, name="placement_list"),
    path("placements/<uuid:public_id>/", recruiter.placement_detail, name="placement_detail"),
    path("placements/<uuid:public_id>/propose/", recruiter.placement_propose_view, name="placement_propose"),
    path("placements/<uuid:public_id>/move/", recruiter.placement_move_view, name="placement_move"),
]

employer_patterns = [
    path("vacancies/", employer.vacancy_list, name="vacancy_list"),
    path("vacancies/<uuid:public_id>/", employer.vacancy_detail, name="vacancy_detail"),
    path("proposals/<uuid:public_id>/", employer.proposal_detail, name="proposal_detail"),
    path("proposals/<uuid:public_id>/move/", employer.proposal_move, name="proposal_move"),
]
