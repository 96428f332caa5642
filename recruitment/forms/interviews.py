"""The employer's interview slot proposal: up to three dates sharing a duration, a kind and a place."""

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recruitment.models import InterviewSlot
from recruitment.services.interviews import SlotProposal

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SLOT_ROWS = 3
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def _starts_field(label: "StrOrPromise", *, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class InterviewSlotsForm(forms.Form):
    starts_at_1 = _starts_field(_("First date and time"), required=True)
    starts_at_2 = _starts_field(_("Second date and time (optional)"))
    starts_at_3 = _starts_field(_("Third date and time (optional)"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60
    )
    mode = forms.ChoiceField(
        label=_("How"), choices=InterviewSlot.Mode.choices, initial=InterviewSlot.Mode.VIDEO
    )
    location = forms.CharField(
        label=_("Place or how to join"),
        max_length=300,
        required=False,
        help_text=_("An address, or the link or number to call. The candidate and the recruiter see it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_slot_%s")
        super().__init__(*args, **kwargs)

    def _starts(self) -> list[datetime.datetime]:
        return [
            self.cleaned_data[name]
            for name in (f"starts_at_{n}" for n in range(1, SLOT_ROWS + 1))
            if self.cleaned_data.get(name)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        now = timezone.now()
        seen: set[datetime.datetime] = set()
        for number in range(1, SLOT_ROWS + 1):
            name = f"starts_at_{number}"
            starts = cleaned.get(name)
            if starts is None:
                continue
            if starts <= now:
                self.add_error(name, _("Choose a date and time in the future."))
            elif starts in seen:
                self.add_error(name, _("This date and time is already proposed above."))
            seen.add(starts)
        return cleaned

    def proposals(self) -> list[SlotProposal]:
        return [
            SlotProposal(
                starts_at=starts,
                duration_minutes=self.cleaned_data["duration_minutes"],
                mode=self.cleaned_data["mode"],
                location=self.cleaned_data["location"],
            )
            for starts in self._starts()
        ]
