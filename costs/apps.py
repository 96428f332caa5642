from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsConfig(AppConfig):
    """Who pays which recruitment cost per case; a case is held when the candidate is charged
    (docs/pathways/employer-costs.md)."""

    name = "costs"
    verbose_name = _("Recruitment costs")
