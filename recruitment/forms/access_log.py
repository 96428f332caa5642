"""The filter of the access log's page and download: one candidate, and views from a day on."""

import datetime
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLogFilterForm(forms.Form):
    candidate = forms.UUIDField(
        label=_("Candidate (public id)"),
        required=False,
        error_messages={"invalid": _("Enter a candidate's public id, as in the address of their page.")},
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> dict[str, Any]:
        """The selector's arguments (call after ``is_valid()``): the day from its midnight, local time."""
        day: datetime.date | None = self.cleaned_data.get("since")
        candidate: uuid.UUID | None = self.cleaned_data.get("candidate")
        since = timezone.make_aware(datetime.datetime.combine(day, datetime.time())) if day else None
        return {"candidate_public_id": candidate, "since": since}
