"""The reference data page's upload forms: a year's salary thresholds, a shortage list
(``reference.uploads``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reference.models import ShortageList
from reference.uploads import MAX_BYTES

# The list kinds that are Flemish permit routes' lists, and the EU Talent Pool's (kept for information).
LIST_KINDS = [
    (kind.value, kind.label)
    for kind in (
        ShortageList.Kind.VDAB_SHORTAGE,
        ShortageList.Kind.MIGRATION_MEDIUM_SKILLED,
        ShortageList.Kind.EU_TALENT_POOL,
    )
]


class _CsvField(forms.FileField):
    def clean(self, data: object, initial: object = None) -> object:
        upload = super().clean(data, initial)
        if upload is not None and getattr(upload, "size", 0) > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large for a reference file (at most 2 MB)."))
        return upload


class ThresholdUploadForm(forms.Form):
    what = forms.CharField(widget=forms.HiddenInput, initial="thresholds")
    file = _CsvField(
        label=_("Salary thresholds (CSV)"),
        help_text=_(
            "Columns: year, valid_from, valid_to, highly_skilled_eur, highly_skilled_reduced_eur, "
            "manager_eur, eu_blue_card_eur, note, as in reference/data/salary_thresholds_flanders.csv."
        ),
    )


class ShortageListUploadForm(forms.Form):
    what = forms.CharField(widget=forms.HiddenInput, initial="shortage_list")
    kind = forms.ChoiceField(label=_("Kind of list"), choices=LIST_KINDS)
    title = forms.CharField(label=_("Title"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until a later list replaces it."),
    )
    legal_reference = forms.CharField(label=_("Legal reference"), max_length=300, required=False)
    source = forms.CharField(label=_("Sources"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = _CsvField(
        label=_("Functions of the list (CSV)"),
        help_text=_(
            "One row per function and ESCO occupation. Columns: title_nl, title_fr, title_en, isco_code, "
            "competent_code, esco_occupation (the ESCO URI or code), fit (exact, broader, narrower or "
            "approximate)."
        ),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The period ends before it starts."))
        return cleaned
