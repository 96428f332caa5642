"""Forms of the candidate's space and of the pages that serve it. Validation only: the services write."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from candidate_space.models import CorrectionRequest


class CorrectionRequestForm(forms.Form):
    part = forms.ChoiceField(label=_("Which part of your profile?"), choices=CorrectionRequest.Part.choices)
    message = forms.CharField(
        label=_("What is wrong, and what should it say?"),
        max_length=CorrectionRequest.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class CorrectionAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (CorrectionRequest.Status.DONE, _("The profile is corrected")),
            (CorrectionRequest.Status.REJECTED, _("The profile is not corrected")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the candidate"),
        help_text=_("The candidate reads this. Required when the profile is not corrected."),
        max_length=CorrectionRequest.MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("status") == CorrectionRequest.Status.REJECTED
            and not cleaned.get("answer", "").strip()
        ):
            self.add_error("answer", _("Say why the profile is not corrected."))
        return cleaned


class SetPasswordForm(forms.Form):
    """The password of a new candidate account, checked by Django's password validators."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned
