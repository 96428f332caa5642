from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from recruitment import views as recruitment_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.health, name="health"),
]
urlpatterns += i18n_patterns(
    path("", recruitment_views.home, name="home"),
    path("admin/", admin.site.urls),
)
