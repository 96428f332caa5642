"""Forms of the recruiter's candidate pages: the search (GET) and a note (POST).

They validate input only; what a filter means is the selectors' (``recruitment.selectors.candidates``)
and what a note may be is the service's (``recruitment.services.notes``).
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from candidates.models.restriction import REASON_MAX_LENGTH
from core.choices import CEFRLevel, Language
from core.countries import country_choices
from projects.models import Cohort, Project
from recruitment.models import NOTE_MAX_LENGTH, Placement, PlacementStage
from recruitment.selectors import candidates as candidate_selectors
from recruitment.selectors.candidates import CandidateFilterChoices, CandidateSearch
from reference.models import EscoOccupation

ANY = [("", _("All"))]

RECOGNITION_CHOICES = [
    ("", _("All")),
    (candidate_selectors.RECOGNITION_NOT_REQUESTED, _("A diploma without a recognition request")),
    (candidate_selectors.RECOGNITION_PENDING, _("A recognition requested, no decision yet")),
    (candidate_selectors.RECOGNITION_RECOGNISED, _("A diploma recognised (an equivalence)")),
    (candidate_selectors.RECOGNITION_REFUSED, _("A recognition refused")),
    (candidate_selectors.RECOGNITION_NO_DIPLOMA, _("No diploma recorded")),
]

SORT_CHOICES = [
    (candidate_selectors.SORT_NAME, _("Name")),
    (candidate_selectors.SORT_AVAILABILITY, _("Availability (soonest first)")),
    (candidate_selectors.SORT_REGISTERED, _("Most recently registered")),
    (candidate_selectors.SORT_SCORE, _("Best match score")),
]

STATUS_CHOICES = [
    (Candidate.Status.ACTIVE.value, Candidate.Status.ACTIVE.label),
    (Candidate.Status.PLACED.value, Candidate.Status.PLACED.label),
]


class CandidateFilterForm(forms.Form):
    """The candidate search. Every field is optional; ``search()`` turns the valid input into a query."""

    text = forms.CharField(
        label=_("Name or partner's reference"),
        required=False,
        max_length=100,
    )
    occupation = forms.TypedChoiceField(
        label=_("Occupation (experience or wish)"), required=False, coerce=int, empty_value=None
    )
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int, empty_value=None)
    cohort = forms.TypedChoiceField(label=_("Cohort"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country of residence"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=ANY + list(Language.choices))
    level = forms.ChoiceField(
        label=_("Minimum level (every skill)"),
        required=False,
        choices=[("", _("Any level")), *CEFRLevel.choices],
        help_text=_("The weakest of the five CEFR skills counts; a native speaker always qualifies."),
    )
    recognition = forms.ChoiceField(
        label=_("Diploma recognition"), required=False, choices=RECOGNITION_CHOICES
    )
    available_by = forms.DateField(
        label=_("Available by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    stage = forms.ChoiceField(
        label=_("Pipeline stage"),
        required=False,
        choices=[
            ("", _("All")),
            (candidate_selectors.STAGE_NONE, _("No case yet")),
            *PlacementStage.choices,
        ],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any, *, choices: CandidateFilterChoices) -> None:
        super().__init__(data)
        self._cohort_projects = {cohort.pk: cohort.project_id for cohort in choices.cohorts}
        self.fields["occupation"].choices = ANY + _occupation_choices(choices.occupations)  # type: ignore[attr-defined]
        self.fields["project"].choices = ANY + _project_choices(choices.projects)  # type: ignore[attr-defined]
        self.fields["cohort"].choices = ANY + _cohort_choices(choices.cohorts)  # type: ignore[attr-defined]
        self.fields["country"].choices = ANY + country_choices(choices.countries)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        project, cohort = cleaned.get("project"), cleaned.get("cohort")
        if project is not None and cohort is not None and self._cohort_projects.get(cohort) != project:
            self.add_error("cohort", _("This cohort belongs to another project."))
        if cleaned.get("level") and not cleaned.get("language"):
            self.add_error("level", _("Choose the language this level is for."))
        return cleaned

    def search(self) -> CandidateSearch:
        """The search the valid form asks for (call only after ``is_valid()``)."""
        data = self.cleaned_data
        return CandidateSearch(
            text=data.get("text") or "",
            occupation_id=data.get("occupation"),
            project_id=data.get("project"),
            cohort_id=data.get("cohort"),
            country=data.get("country") or "",
            language=data.get("language") or "",
            minimum_level=data.get("level") or "",
            recognition=data.get("recognition") or "",
            available_by=data.get("available_by"),
            stage=data.get("stage") or "",
            status=data.get("status") or Candidate.Status.ACTIVE,
            sort=data.get("sort") or candidate_selectors.SORT_NAME,
        )


def _occupation_choices(occupations: list[EscoOccupation]) -> list[tuple[int, str]]:
    return [(occupation.pk, occupation.label) for occupation in occupations]


def _project_choices(projects: list[Project]) -> list[tuple[int, str]]:
    return [(project.pk, project.name) for project in projects]


def _cohort_choices(cohorts: list[Cohort]) -> list[tuple[int, str]]:
    return [(cohort.pk, f"{cohort.project.name} · {cohort.name}") for cohort in cohorts]


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("New note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by the public employment service's staff only, never by employers or partners."),
        error_messages={"required": _("Write the note before saving it.")},
    )
    placement = forms.ChoiceField(label=_("About the case"), required=False)

    def __init__(self, *args: Any, placements: Sequence[Placement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._placements = {str(placement.public_id): placement for placement in placements}
        self.fields["placement"].choices = [  # type: ignore[attr-defined]
            ("", _("The candidate in general")),
            *[
                (key, f"{placement.vacancy.title} · {placement.vacancy.employer.name}")
                for key, placement in self._placements.items()
            ],
        ]

    def chosen_placement(self) -> Placement | None:
        """The case the valid form names, or None (call only after ``is_valid()``)."""
        return self._placements.get(self.cleaned_data.get("placement") or "")


class RestrictionForm(forms.Form):
    """Why the processing of a candidate's data is restricted (GDPR art. 18): kept with the restriction."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the candidate contests the accuracy of their data, or asked for erasure."),
        error_messages={"required": _("Say why the data is restricted.")},
    )
