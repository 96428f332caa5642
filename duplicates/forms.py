"""The merge decision: which of the two records to keep."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duplicates.models import DuplicatePair


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(
        label=_("Record to keep"),
        widget=forms.RadioSelect,
        help_text=_(
            "The other record's cases, consents, history and documents move to this one; the other record "
            "is then anonymised."
        ),
        error_messages={
            "required": _("Choose the record to keep."),
            "invalid_choice": _("Choose the record to keep."),
        },
    )

    def __init__(self, *args: Any, pair: DuplicatePair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (
                str(candidate.public_id),
                f"{candidate.family_name}, {candidate.given_name} ({candidate.registered_by.name})",
            )
            for candidate in (pair.low, pair.high)
        ]
