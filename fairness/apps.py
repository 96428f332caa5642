from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairnessConfig(AppConfig):
    """Fairness monitoring of selections against the eligible pool, for coordinators (docs/fairness.md)."""

    name = "fairness"
    verbose_name = _("Fairness")
