"""The forms of the selection pages: input checked here, rules applied by ``selection.services``."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Organisation
from selection.models import SelectionStep, StepKind, Verdict


class StepForm(forms.Form):
    name = forms.CharField(label=_("Name of the step"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=StepKind.choices)
    pass_mark = forms.DecimalField(
        label=_("Pass mark (for a scored step)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("Leave empty when the step ends with a verdict, not a score."),
    )


class ResultForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    # Choices from the project's steps, already read by the page: no query per row of the list.
    step = forms.TypedChoiceField(label=_("Step"), coerce=int, choices=())
    score = forms.DecimalField(label=_("Score"), required=False, min_value=0, max_digits=6, decimal_places=2)
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=Verdict.choices,
        help_text=_("For a scored step the score decides, unless the candidate was absent."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, steps: list[SelectionStep], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steps = {step.pk: step for step in steps}
        self.fields["step"].choices = [(step.pk, str(step)) for step in steps]  # type: ignore[attr-defined]

    def chosen_step(self) -> SelectionStep:
        return self.steps[self.cleaned_data["step"]]


class JobDatingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    required_step = forms.ModelChoiceField(
        label=_("Candidates must have passed"), queryset=SelectionStep.objects.none()
    )
    employers = forms.ModelMultipleChoiceField(
        label=_("Employers invited"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, steps: list[SelectionStep], employers: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_dating_%s")
        super().__init__(*args, **kwargs)
        self.fields["required_step"].queryset = SelectionStep.objects.filter(pk__in=[s.pk for s in steps])  # type: ignore[attr-defined]
        self.fields["employers"].queryset = employers  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=300)


class InviteForm(forms.Form):
    candidates = forms.TypedMultipleChoiceField(
        label=_("Candidates to invite"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = choices  # type: ignore[attr-defined]
