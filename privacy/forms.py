"""Forms of the data rights pages: every check on the server, every message in the user's language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.services.requests import REFUSAL_MAX_LENGTH

RESTRICTION_NOTE_MAX_LENGTH = 300


class RestrictionForm(forms.Form):
    """The candidate asks that their data be kept but no longer used."""

    note = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=RESTRICTION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: my profile is wrong and I asked for a correction."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that I will not be proposed for any vacancy while my data is restricted."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class ErasureForm(forms.Form):
    """The candidate asks for the erasure of their data."""

    confirm = forms.BooleanField(
        label=_("I understand what will be erased and what will be kept, and I ask for the erasure."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class ExecuteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the request; erase the data now. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the erasure is refused (the candidate reads this)"),
        max_length=REFUSAL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the erasure is refused.")},
    )
