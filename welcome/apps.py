from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelcomeConfig(AppConfig):
    """Information pages for candidates at each stage of their case, maintained by staff as data."""

    name = "welcome"
    verbose_name = _("Welcome information")
