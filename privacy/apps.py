from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The data lifecycle of candidates: their data rights (download, erasure, restriction) and retention."""

    name = "privacy"
    verbose_name = _("Privacy")
