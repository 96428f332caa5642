from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Spreadsheet uploads of candidates and vacancies (CSV and XLSX), through the same services as the partner API."""

    name = "imports"
    verbose_name = _("Imports")
