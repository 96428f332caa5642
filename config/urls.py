from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from recruitment import urls as recruitment_urls
from recruitment import views as recruitment_views

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
    path("admin/", admin.site.urls),
)
