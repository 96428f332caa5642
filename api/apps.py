from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Partner API")

    def ready(self) -> None:
        # Registers the OpenAPI extension of the partner token authentication.
        import api.schema  # noqa: F401


class DjangoWordingConfig(AppConfig):
    """Django's own translations, loaded once more as an app listed before ``rest_framework``.

    Django's catalog is the base that every installed app's catalog overrides, and DRF translates a few
    of Django's messages differently ("Dit veld is vereist." for "This field is required.", and three
    more in Dutch and French). Listed before DRF, this "app" (Django's ``django.conf`` package, which
    holds the catalogs and nothing an app loader would pick up: no models, templates, static files or
    commands) makes Django's wording win again on the browser pages, while DRF's own messages stay
    translated for the API.
    """

    name = "django.conf"
    label = "django_wording"
    verbose_name = "Django's own wording"
