"""``/api/v1/``: the partner API (docs/api.md)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import candidates, oauth, placements, projects, vacancies, webhooks

app_name = "api"

urlpatterns = [
    path("oauth/token/", oauth.TokenView.as_view(), name="oauth-token"),
    path("oauth/revoke/", oauth.RevokeTokenView.as_view(), name="oauth-revoke"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("projects/", projects.ProjectListView.as_view(), name="project-list"),
    path("candidates/", candidates.CandidateListView.as_view(), name="candidate-list"),
    path("candidates/bulk/", candidates.CandidateBulkView.as_view(), name="candidate-bulk"),
    path("candidates/removed/", candidates.RemovedCandidateListView.as_view(), name="candidate-removed"),
    path(
        "candidates/<uuid:candidate_id>/", candidates.CandidateDetailView.as_view(), name="candidate-detail"
    ),
    path("vacancies/", vacancies.VacancyListView.as_view(), name="vacancy-list"),
    path("vacancies/removed/", vacancies.RemovedVacancyListView.as_view(), name="vacancy-removed"),
    path("vacancies/<uuid:vacancy_id>/", vacancies.VacancyDetailView.as_view(), name="vacancy-detail"),
    path("matches/", vacancies.MatchListView.as_view(), name="match-list"),
    path("matches/removed/", vacancies.RemovedMatchListView.as_view(), name="match-removed"),
    path("placements/", placements.PlacementListView.as_view(), name="placement-list"),
    path(
        "placements/<uuid:placement_id>/", placements.PlacementDetailView.as_view(), name="placement-detail"
    ),
    path(
        "webhooks/subscriptions/",
        webhooks.SubscriptionListView.as_view(),
        name="webhook-subscription-list",
    ),
    path(
        "webhooks/subscriptions/<uuid:subscription_id>/",
        webhooks.SubscriptionDetailView.as_view(),
        name="webhook-subscription-detail",
    ),
    path(
        "webhooks/subscriptions/<uuid:subscription_id>/rotate-secret/",
        webhooks.SubscriptionSecretView.as_view(),
        name="webhook-subscription-rotate-secret",
    ),
    path(
        "webhooks/subscriptions/<uuid:subscription_id>/ping/",
        webhooks.SubscriptionPingView.as_view(),
        name="webhook-subscription-ping",
    ),
    path("webhooks/deliveries/", webhooks.DeliveryListView.as_view(), name="webhook-delivery-list"),
    path(
        "webhooks/deliveries/<uuid:delivery_id>/",
        webhooks.DeliveryDetailView.as_view(),
        name="webhook-delivery-detail",
    ),
    path(
        "webhooks/deliveries/<uuid:delivery_id>/retry/",
        webhooks.DeliveryRetryView.as_view(),
        name="webhook-delivery-retry",
    ),
]
