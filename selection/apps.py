from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    """A project's selection stages, results per candidate, video CVs and job-dating events
    (docs/pathways/selection.md)."""

    name = "selection"
    verbose_name = _("Selection")
