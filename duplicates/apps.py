from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    """Candidates registered twice: a review queue for staff, merges and rejected pairs."""

    name = "duplicates"
    verbose_name = _("Duplicates")
