"""The staff form of an agreement: it parses input; the rules are the service's (``agreement_save``)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from core.choices import Region
from core.models import Organisation
from reference.models import EscoOccupation, ShortageList
from vacancies.models import Vacancy

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Short and unique; partners filter on it in the API.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    partner_country = forms.CharField(
        label=_("Partner country"),
        min_length=2,
        max_length=2,
        help_text=_("ISO 3166-1 alpha-2 code, e.g. TW, MA, TN."),
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Partner agencies to share with"), queryset=Organisation.objects.none(), required=False
    )
    occupations = forms.ModelMultipleChoiceField(
        label=_("Occupations"), queryset=EscoOccupation.objects.none(), required=False
    )
    shortage_list_kinds = forms.MultipleChoiceField(
        label=_("Shortage lists"),
        choices=ShortageList.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A vacancy whose occupation is on a list of these kinds, in force that day, fits."),
    )
    vacancy_kinds = forms.MultipleChoiceField(
        label=_("Vacancy kinds"),
        choices=Vacancy.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any kind."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any region."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=DATE_WIDGET, help_text=_("Empty: open-ended.")
    )
    sources = forms.CharField(label=_("Sources"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        agencies: "QuerySet[Organisation]",
        occupations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]
        occupation_field = self.fields["occupations"]
        occupation_field.queryset = EscoOccupation.objects.all()  # type: ignore[attr-defined]
        occupation_field.choices = occupations  # type: ignore[attr-defined]
        occupation_field.widget.attrs["size"] = 12

    def clean_partner_country(self) -> str:
        return str(self.cleaned_data["partner_country"]).upper()

    @staticmethod
    def initial_for(agreement: Agreement) -> dict[str, Any]:
        return {
            "code": agreement.code,
            "name": agreement.name,
            "kind": agreement.kind,
            "partner_country": agreement.partner_country,
            "agencies": [a.pk for a in agreement.agencies.all()],
            "occupations": [o.pk for o in agreement.occupations.all()],
            "shortage_list_kinds": agreement.shortage_list_kinds,
            "vacancy_kinds": agreement.vacancy_kinds,
            "regions": agreement.regions,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "sources": agreement.sources,
            "notes": agreement.notes,
        }
