from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from agreements import urls as agreements_urls
from candidate_space import urls as candidate_space_urls
from concentric import urls as concentric_urls
from core import views as core_views
from costs import urls as costs_urls
from duplicates import urls as duplicates_urls
from exports import urls as exports_urls
from fairness import urls as fairness_urls
from imports import urls as imports_urls
from internships import urls as internships_urls
from privacy import urls as privacy_urls
from recruitment import urls as recruitment_urls
from recruitment import views as recruitment_views
from reports import urls as reports_urls
from selection import urls as selection_urls
from welcome import urls as welcome_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.health, name="health"),
    # The partner API: not under a language prefix (Accept-Language picks the language of messages).
    path("api/v1/", include("api.urls")),
]
urlpatterns += i18n_patterns(
    path("", recruitment_views.home, name="home"),
    path("start/", recruitment_views.work_start, name="work_start"),
    path("account/", include("core.urls")),
    path("recruiter/", include((recruitment_urls.recruiter_patterns, "recruiter"))),
    path("employer/", include((recruitment_urls.employer_patterns, "employer"))),
    path("partner/", include((recruitment_urls.partner_patterns, "partner"))),
    # The candidate's own space, and the staff pages that serve it.
    path("me/welcome/", include((welcome_urls.candidate_patterns, "me_welcome"))),
    path("me/data/", include((privacy_urls.candidate_patterns, "me_data"))),
    path("me/", include((candidate_space_urls.urlpatterns, "me"))),
    # Candidates' correction requests, handled by their partner agency and recruiters.
    path("corrections/", include((candidate_space_urls.handler_patterns, "corrections"))),
    path("recruiter/welcome/", include((welcome_urls.staff_patterns, "welcome_admin"))),
    path("recruiter/privacy/", include((privacy_urls.staff_patterns, "privacy"))),
    # Spreadsheet downloads of the lists, authorised like their pages.
    path("recruiter/exports/", include((exports_urls.recruiter_patterns, "recruiter_exports"))),
    path("employer/exports/", include((exports_urls.employer_patterns, "employer_exports"))),
    # Spreadsheet uploads of candidates and vacancies, through the partner API's services.
    path("recruiter/imports/", include((imports_urls.recruiter_patterns, "recruiter_imports"))),
    path("partner/imports/", include((imports_urls.partner_patterns, "partner_imports"))),
    path("employer/imports/", include((imports_urls.employer_patterns, "employer_imports"))),
    # For coordinators: funders' reports, fairness monitoring, the duplicate candidates' review queue.
    path("recruiter/reports/", include((reports_urls.recruiter_patterns, "reports"))),
    path("recruiter/fairness/", include((fairness_urls.recruiter_patterns, "fairness"))),
    path("recruiter/duplicates/", include((duplicates_urls.recruiter_patterns, "duplicates"))),
    # The labour-mobility pathways (docs/pathways/): agreements that share vacancies, the concentric
    # search, internships, a project's selection stages and job dating, who pays which recruitment cost.
    path("recruiter/agreements/", include((agreements_urls.recruiter_patterns, "recruiter_agreements"))),
    path("employer/agreements/", include((agreements_urls.employer_patterns, "employer_agreements"))),
    path("partner/agreements/", include((agreements_urls.partner_patterns, "partner_agreements"))),
    path("recruiter/search-channels/", include((concentric_urls.recruiter_patterns, "recruiter_concentric"))),
    path("employer/search-channels/", include((concentric_urls.employer_patterns, "employer_concentric"))),
    path("partner/search-channels/", include((concentric_urls.partner_patterns, "partner_concentric"))),
    path("recruiter/internships/", include((internships_urls.recruiter_patterns, "recruiter_internships"))),
    path("employer/internships/", include((internships_urls.employer_patterns, "employer_internships"))),
    path("partner/internships/", include((internships_urls.partner_patterns, "partner_internships"))),
    path("recruiter/selection/", include((selection_urls.recruiter_patterns, "recruiter_selection"))),
    path("employer/selection/", include((selection_urls.employer_patterns, "employer_selection"))),
    path("partner/selection/", include((selection_urls.partner_patterns, "partner_selection"))),
    path("recruiter/costs/", include((costs_urls.recruiter_patterns, "recruiter_costs"))),
    path("employer/costs/", include((costs_urls.employer_patterns, "employer_costs"))),
    path("partner/costs/", include((costs_urls.partner_patterns, "partner_costs"))),
    path("admin/", admin.site.urls),
)
