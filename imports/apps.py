from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Spreadsheet uploads of candidates and vacancies (CSV and XLSX), through the partner API's services."""

    name = "imports"
    verbose_name = _("Imports")
