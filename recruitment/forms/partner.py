"""The filters of a partner agency's candidate list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from recruitment.models import PlacementStage

ANY = [("", _("All"))]


class PartnerCandidateFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage of a case"), required=False, choices=ANY + list(PlacementStage.choices)
    )
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int, empty_value=None)

    def __init__(self, data: object, *, projects: list[Project]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["project"].choices = ANY + [(p.pk, p.name) for p in projects]  # type: ignore[attr-defined]
