from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    """Circular internships: internship vacancies, the trainee's case through internship, return and
    follow-up, and the outcomes after return (docs/pathways/internships.md)."""

    name = "internships"
    verbose_name = _("Internships")
