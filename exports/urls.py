"""The downloads: the recruiter's (/<lang>/recruiter/exports/, namespace ``recruiter_exports``) and the
employer's (/<lang>/employer/exports/, namespace ``employer_exports``), mounted by config/urls.py."""

from django.urls import URLPattern, URLResolver, path

from exports import talent_pool_views, views

recruiter_patterns: list[URLPattern | URLResolver] = [
    path("vacancies/<uuid:public_id>/matches/", views.vacancy_matches, name="vacancy_matches"),
    path("vacancies/<uuid:public_id>/shortlist/", views.vacancy_shortlist, name="vacancy_shortlist"),
    path("placements/", views.placement_list, name="placement_list"),
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("projects/<slug:project>/funnel/", views.project_funnel, name="project_funnel"),
    # The EU Talent Pool / EURES export (docs/talent-pool.md).
    path("talent-pool/", talent_pool_views.talent_pool_page, name="talent_pool"),
    path("talent-pool/candidates/", talent_pool_views.talent_pool_candidates, name="talent_pool_candidates"),
    path("talent-pool/vacancies/", talent_pool_views.talent_pool_vacancies, name="talent_pool_vacancies"),
]
employer_patterns: list[URLPattern | URLResolver] = [
    path("vacancies/<uuid:public_id>/proposals/", views.employer_proposals, name="vacancy_proposals"),
]
