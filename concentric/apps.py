from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcentricConfig(AppConfig):
    """The renewed concentric search: where a vacancy is searched, since when and why
    (docs/pathways/concentric-search.md)."""

    name = "concentric"
    verbose_name = _("Search channels")
