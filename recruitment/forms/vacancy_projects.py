"""Which labour-mobility projects a vacancy is open to: set by the public employment service's staff."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Project


class VacancyProjectsForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=_("Open to the projects"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The partner agencies of these projects see the vacancy and how their candidates match it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_open_%s")
        super().__init__(*args, **kwargs)
        # Ended projects recruit no more; a vacancy already open to one keeps it until unticked.
        self.fields["projects"].queryset = Project.objects.exclude(  # type: ignore[attr-defined]
            status=Project.Status.ENDED
        ).order_by("name")
