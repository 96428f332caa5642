"""The outcome form: it parses; the rules are the service's (``internships.services.outcome_record``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from internships.models import ReturnOutcome


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Situation after return"), choices=ReturnOutcome.choices)
    observed_on = forms.DateField(
        label=_("Observed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day you learnt this (a phone call, a message, a visit)."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
