from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Spreadsheet downloads (CSV and XLSX) of the lists the pages show, authorised like those pages."""

    name = "exports"
    verbose_name = _("Exports")
