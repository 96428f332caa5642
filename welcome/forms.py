"""The staff's forms: a new version of a page's text, and a new page with its first text.

Validation that needs the database (a topic already used for this place, a text identical to the last
version) is the services' (``welcome.services.pages``); their errors are put back on these forms.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import Region
from welcome.models import PageLanguage, PageVersion, StageGroup

PUBLISH = "publish"
SAVE_DRAFT = "draft"


class PageTextForm(forms.Form):
    """A page's text in one language. The button pressed decides between a draft and publishing."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One sentence shown in the list of pages."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Plain text. Leave a blank line between paragraphs; start a line with “- ” for a list item. "
            "Do not write anyone's personal details here."
        ),
    )
    is_example = forms.BooleanField(
        label=_("This is still an example to be completed by the service"),
        required=False,
        help_text=_("Candidates and staff see a notice on the page while this is ticked."),
    )

    @staticmethod
    def initial_from(version: PageVersion | None) -> dict[str, object]:
        if version is None:
            return {}
        return {
            "title": version.title,
            "summary": version.summary,
            "body": version.body,
            "is_example": version.is_example,
        }


class PageCreateForm(PageTextForm):
    """A new page: its topic, stage and place, and its first text in one language."""

    topic = forms.SlugField(
        label=_("Topic"),
        max_length=80,
        help_text=_(
            "Lower-case letters, digits and hyphens, e.g. local-welcome-centre. A page for one region or "
            "municipality uses the topic of the general page it replaces there."
        ),
    )
    stage_group = forms.ChoiceField(label=_("Stage"), choices=StageGroup.choices)
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Everyone (no region)")), *Region.choices],
        required=False,
    )
    municipality = forms.CharField(
        label=_("Municipality"),
        max_length=100,
        required=False,
        help_text=_(
            "Only for a page that differs in one municipality, as the vacancies spell it (e.g. Gent)."
        ),
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=1000,
        initial=100,
        help_text=_("Pages of a stage are listed from the lowest number."),
    )
    language = forms.ChoiceField(label=_("Language of this first text"), choices=PageLanguage.choices)

    field_order = ["topic", "stage_group", "region", "municipality", "position", "language"]
