from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports for the people who fund and run projects: targets against outcomes, lead times, placements."""

    name = "reports"
    verbose_name = _("Reports")
