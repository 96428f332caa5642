from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """Agreements with partner countries and agencies that share fitting vacancies automatically
    (docs/pathways/agreements.md)."""

    name = "agreements"
    verbose_name = _("Agreements")
