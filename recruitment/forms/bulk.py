"""The bulk action bar of the vacancy page: which candidates, which action, and the proposal's terms."""

import datetime
from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recruitment.forms import ProposeForm
from recruitment.services.bulk import MAX_BULK_CANDIDATES

SHORTLIST, PROPOSE = "shortlist", "propose"


class CandidateIdsField(forms.Field):
    """The public ids of the ticked rows (one ``candidates`` value per checkbox), without repeats."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one candidate."),
        "invalid": _("One of the selected candidates is not valid. Reload the page and try again."),
        "too_many": _("Select at most %(limit)d candidates at a time."),
    }

    def to_python(self, value: Any) -> list[UUID]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            ids = [UUID(str(item)) for item in value]
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return list(dict.fromkeys(ids))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > MAX_BULK_CANDIDATES:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_BULK_CANDIDATES}
            )


class BulkActionForm(forms.Form):
    candidates = CandidateIdsField(label=_("Selected candidates"))
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(SHORTLIST, _("Add the selected to the shortlist")), (PROPOSE, _("Propose the selected"))],
    )
    message = forms.CharField(
        label=_("Message to the employer"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with every proposal of this action."),
    )
    response_due_on = forms.DateField(
        label=_("Answer expected by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # The query string of the page the action was taken from (its filters and pages), to return to it.
    back = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean_response_due_on(self) -> datetime.date | None:
        due: datetime.date | None = self.cleaned_data.get("response_due_on")
        if due is not None and due < timezone.localdate():
            raise ValidationError(_("The answer deadline cannot be in the past."))
        return due

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == PROPOSE and cleaned.get("response_due_on") is None:
            cleaned["response_due_on"] = ProposeForm.default_due_date()
        return cleaned

    def back_query(self) -> str:
        """The page's filters to return to, re-encoded (only ever appended to the vacancy page's own path).

        Read from the raw data, so an invalid action returns to the same filters too; the selection
        (``select``) is not kept: after an action the boxes start empty.
        """
        back = str(self.data.get("back", ""))[:2000]
        params = QueryDict(back.lstrip("?"), mutable=True)
        params.pop("select", None)
        return params.urlencode()
