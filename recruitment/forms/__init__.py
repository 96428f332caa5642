"""Forms of the browser application: filters (GET) and the actions on a case (POST).

Forms only validate input; the rules of the workflow are the services' (``recruitment.services.
placements``), whose errors are shown back on the form in the user's language.
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import CEFRLevel, Language
from core.countries import country_choices
from core.models import Organisation
from projects.models import Cohort, Project
from recruitment.models import DecisionReason, Match, PlacementStage
from recruitment.services.placements import DEFAULT_RESPONSE_DAYS
from reference.models import EscoOccupation
from vacancies.models import Vacancy

ANY = [("", _("All"))]


class VacancyFilterForm(forms.Form):
    occupation = forms.TypedChoiceField(label=_("Occupation"), required=False, coerce=int, empty_value=None)
    employer = forms.TypedChoiceField(label=_("Employer"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + list(Vacancy.Status.choices))

    def __init__(
        self, data: object, *, employers: list[Organisation], occupations: list[EscoOccupation]
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["occupation"].choices = ANY + [(o.pk, o.label) for o in occupations]  # type: ignore[attr-defined]
        self.fields["employer"].choices = ANY + [(e.pk, e.name) for e in employers]  # type: ignore[attr-defined]


class MatchFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Eligible and near-misses")), *Match.Outcome.choices],
    )
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int, empty_value=None)
    cohort = forms.TypedChoiceField(label=_("Cohort"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country of residence"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=ANY + list(Language.choices))
    level = forms.ChoiceField(
        label=_("Minimum level (all five skills)"), required=False, choices=ANY + list(CEFRLevel.choices)
    )

    def __init__(
        self, data: object, *, projects: list[Project], cohorts: list[Cohort], countries: list[str]
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["project"].choices = ANY + [(p.pk, p.name) for p in projects]  # type: ignore[attr-defined]
        self.fields["cohort"].choices = ANY + [(c.pk, str(c)) for c in cohorts]  # type: ignore[attr-defined]
        self.fields["country"].choices = ANY + country_choices(countries)  # type: ignore[attr-defined]
        self._cohort_project = {cohort.pk: cohort.project_id for cohort in cohorts}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cohort, project = cleaned.get("cohort"), cleaned.get("project")
        if cohort is not None and project is not None and self._cohort_project.get(cohort) != project:
            self.add_error("cohort", _("This cohort is not part of the chosen project."))
        if cleaned.get("language") and not cleaned.get("level"):
            self.add_error("level", _("Choose the minimum level in this language."))
        if cleaned.get("level") and not cleaned.get("language"):
            self.add_error("language", _("Choose the language of this level."))
        return cleaned


class ShortlistForm(forms.Form):
    candidate = forms.UUIDField(widget=forms.HiddenInput)


class ProposeForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    message = forms.CharField(
        label=_("Message to the employer"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this candidate: the employer reads it with the anonymised profile."),
    )
    response_due_on = forms.DateField(
        label=_("Answer expected by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @staticmethod
    def default_due_date() -> datetime.date:
        return timezone.localdate() + datetime.timedelta(days=DEFAULT_RESPONSE_DAYS)

    def clean_response_due_on(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["response_due_on"]
        if due < timezone.localdate():
            raise ValidationError(_("The answer deadline cannot be in the past."))
        return due


# The reasons an employer may give for declining (the others belong to permits and ends of contract).
EMPLOYER_DECLINE_REASONS = [
    DecisionReason.SKILLS,
    DecisionReason.LANGUAGE,
    DecisionReason.EXPERIENCE,
    DecisionReason.SALARY,
    DecisionReason.AVAILABILITY,
    DecisionReason.POSITION_FILLED,
    DecisionReason.OTHER,
]


class MoveForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    to_stage = forms.ChoiceField(choices=PlacementStage.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", "—"), *DecisionReason.choices]
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, employer: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if employer:
            reasons = [(reason.value, reason.label) for reason in EMPLOYER_DECLINE_REASONS]
            self.fields["reason"].choices = [("", "—"), *reasons]  # type: ignore[attr-defined]


class PlacementFilterForm(forms.Form):
    """The filters of the placement list, shared with the board (which has a column per stage instead)."""

    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=ANY + list(PlacementStage.choices))
    vacancy = forms.TypedChoiceField(label=_("Vacancy"), required=False, coerce=int, empty_value=None)
    employer = forms.TypedChoiceField(label=_("Employer"), required=False, coerce=int, empty_value=None)
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue answers only"), required=False)

    def __init__(
        self,
        data: object,
        *,
        vacancies: list[Vacancy],
        employers: list[Organisation],
        projects: list[Project],
        with_stage: bool = True,
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        if not with_stage:
            del self.fields["stage"]
        self.fields["vacancy"].choices = ANY + [  # type: ignore[attr-defined]
            (v.pk, f"{v.title} ({v.employer.name})") for v in vacancies
        ]
        self.fields["employer"].choices = ANY + [(e.pk, e.name) for e in employers]  # type: ignore[attr-defined]
        self.fields["project"].choices = ANY + [(p.pk, p.name) for p in projects]  # type: ignore[attr-defined]
