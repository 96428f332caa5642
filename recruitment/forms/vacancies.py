"""The employer's vacancy form and its language requirement rows, and the publication confirmation.

Forms only validate and normalise input (a monthly salary becomes the annual amount the law uses, the
region follows from the postal code); the rules of publication are ``vacancies.authoring``'s and the
pre-publication check is ``vacancies.checker``'s.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from core.choices import CEFRLevel, Language, region_for_postal_code
from reference.models import SalaryThreshold
from vacancies.authoring import LanguageRequirementInput
from vacancies.models import LANGUAGE_SKILLS, Vacancy

# Rows of language requirements on the form; a vacancy rarely asks for more than three languages.
LANGUAGE_ROWS = 3

VKS_LEVELS = [
    (1, _("1 · primary education")),
    (2, _("2 · lower secondary")),
    (3, _("3 · vocational secondary")),
    (4, _("4 · secondary education diploma")),
    (5, _("5 · graduaat (HBO5)")),
    (6, _("6 · bachelor")),
    (7, _("7 · master")),
    (8, _("8 · doctorate")),
]
ISCED_LEVELS = [
    ("", _("No minimum")),
    (1, _("1 · primary")),
    (2, _("2 · lower secondary")),
    (3, _("3 · upper secondary")),
    (4, _("4 · post-secondary, non-tertiary")),
    (5, _("5 · short-cycle tertiary")),
    (6, _("6 · bachelor or equivalent")),
    (7, _("7 · master or equivalent")),
    (8, _("8 · doctorate or equivalent")),
]
PER_YEAR, PER_MONTH = "year", "month"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The form's fields that carry a model field of another name (for errors raised by the model).
MODEL_TO_FORM_FIELD = {
    "occupation": "occupation",
    "occupation_id": "occupation",
    "gross_annual_salary_eur": "salary_amount",
    "region": "postal_code",
}


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200)
    occupation = forms.TypedChoiceField(
        label=_("Occupation"),
        coerce=int,
        help_text=_("The occupation in the European classification (ESCO), grouped by ISCO major group."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    municipality = forms.CharField(label=_("Municipality of work"), max_length=100)
    postal_code = forms.CharField(
        label=_("Postal code"),
        min_length=4,
        max_length=4,
        help_text=_("Four digits. The region, whose permit rules apply, follows from it."),
    )
    function_vks_level = forms.TypedChoiceField(
        label=_("Level of the function (VKS)"),
        coerce=int,
        choices=VKS_LEVELS,
        help_text=_("Since 2026 the highly skilled permit needs a function of level 5 or higher."),
    )
    min_isced_level = forms.TypedChoiceField(
        label=_("Minimum education (ISCED)"),
        coerce=int,
        choices=ISCED_LEVELS,
        required=False,
        empty_value=None,
    )
    min_experience_years = forms.DecimalField(
        label=_("Minimum experience (years)"),
        min_value=Decimal(0),
        max_value=Decimal("99.9"),
        decimal_places=1,
        initial=Decimal(0),
    )
    salary_amount = forms.DecimalField(
        label=_("Gross salary (EUR)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "Gross pay plus guaranteed benefits (meal vouchers, insurance); no discretionary bonuses."
        ),
    )
    salary_period = forms.ChoiceField(
        label=_("Salary per"),
        choices=[(PER_MONTH, _("month")), (PER_YEAR, _("year"))],
        initial=PER_MONTH,
        help_text=_("A monthly salary is converted to a year as 13.92 months (13th month and holiday pay)."),
    )
    joint_committee = forms.CharField(
        label=_("Joint committee (paritair comité)"), max_length=20, required=False
    )
    pay_category = forms.ChoiceField(
        label=_("Pay category"),
        required=False,
        choices=[("", _("Not known yet")), *Vacancy.PayCategory.choices],
    )
    # Not required: a form posted without it (an older page, a script) keeps the vacancy's stored kind
    # on an edit (``kind_when_absent``) and writes an employment on a new one, as before.
    kind = forms.TypedChoiceField(
        label=_("Kind of vacancy"),
        choices=Vacancy.Kind.choices,
        initial=Vacancy.Kind.EMPLOYMENT,
        required=False,
        empty_value="",
        help_text=_(
            "An internship is checked against the trainee rules instead of the permit routes for employment, "
            "and its cases go on to the return home and the follow-up after return."
        ),
    )
    contract_type = forms.ChoiceField(label=_("Contract"), choices=Vacancy.ContractType.choices)
    contract_months = forms.IntegerField(
        label=_("Contract duration (months)"),
        required=False,
        min_value=1,
        max_value=600,
        help_text=_("For a fixed-term contract only."),
    )
    weekly_hours = forms.DecimalField(
        label=_("Hours per week"),
        decimal_places=1,
        initial=Decimal(38),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(50))],
    )
    positions = forms.IntegerField(label=_("Number of positions"), min_value=1, max_value=999, initial=1)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE_WIDGET)
    is_secondment = forms.BooleanField(label=_("Secondment to another company"), required=False)
    vdab_published_on = forms.DateField(label=_("Published on VDAB on"), required=False, widget=DATE_WIDGET)
    eures_published_on = forms.DateField(label=_("Published on EURES on"), required=False, widget=DATE_WIDGET)
    employer_pays_travel = forms.BooleanField(label=_("We pay the travel"), required=False)
    employer_pays_visa = forms.BooleanField(label=_("We pay the visa and permit"), required=False)
    employer_pays_housing = forms.BooleanField(label=_("We pay or arrange housing"), required=False)
    employer_pays_attested = forms.BooleanField(
        label=_("We signed the employer-pays attestation (the candidate never pays for recruitment)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        occupations: list[tuple[str, list[tuple[int, str]]]],
        kind_when_absent: str = Vacancy.Kind.EMPLOYMENT,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = [("", _("Choose an occupation")), *occupations]  # type: ignore[attr-defined]
        self.kind_when_absent = kind_when_absent

    def clean_kind(self) -> str:
        """The posted kind, or (field left out) the vacancy's own: an edit never changes it silently."""
        return str(self.cleaned_data.get("kind") or self.kind_when_absent)

    @classmethod
    def initial_for(cls, vacancy: Vacancy) -> dict[str, Any]:
        """The form's values for an existing vacancy (the salary as the annual amount it is stored as)."""
        initial: dict[str, Any] = {
            name: getattr(vacancy, name)
            for name in cls.base_fields
            if name not in {"occupation", "salary_amount", "salary_period"}
        }
        initial.update(
            occupation=vacancy.occupation_id,
            salary_amount=vacancy.gross_annual_salary_eur,
            salary_period=PER_YEAR,
        )
        return initial

    def clean_postal_code(self) -> str:
        code: str = self.cleaned_data["postal_code"].strip()
        if region_for_postal_code(code) is None:
            raise ValidationError(_("Enter a Belgian postal code of four digits."))
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("contract_type") == Vacancy.ContractType.FIXED_TERM and not cleaned.get(
            "contract_months"
        ):
            self.add_error("contract_months", _("A fixed-term contract states its length in months."))
        if cleaned.get("contract_type") == Vacancy.ContractType.INDEFINITE:
            cleaned["contract_months"] = None
        if (
            cleaned.get("kind") == Vacancy.Kind.INTERNSHIP
            and cleaned.get("contract_type") == Vacancy.ContractType.INDEFINITE
        ):
            # An internship has a set length: the checker compares it with the trainee rules.
            self.add_error(
                "contract_type", _("An internship has a fixed length: choose a fixed-term contract.")
            )
        return cleaned

    def vacancy_fields(self) -> dict[str, Any]:
        """The cleaned values as the vacancy's fields (``vacancies.authoring.EDITABLE_FIELDS``)."""
        data = dict(self.cleaned_data)
        amount: Decimal = data.pop("salary_amount")
        if data.pop("salary_period") == PER_MONTH:
            amount = (amount * Decimal(str(SalaryThreshold.MONTHS_PER_YEAR))).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        data["gross_annual_salary_eur"] = amount
        data["occupation_id"] = data.pop("occupation")
        data["region"] = region_for_postal_code(data["postal_code"])
        return data

    def add_model_error(self, error: ValidationError) -> None:
        """Show an error raised by the model or the service next to the form field it concerns."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = MODEL_TO_FORM_FIELD.get(name, name)
            self.add_error(field if field in self.fields else None, errors)


LEVEL_CHOICES = [("", "—"), *CEFRLevel.choices]


class LanguageRequirementForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", "—"), *Language.choices])
    overall = forms.ChoiceField(
        label=_("All skills at least"),
        required=False,
        choices=LEVEL_CHOICES,
        help_text=_("Applies to every skill not set on its own."),
    )
    listening = forms.ChoiceField(label=_("Listening"), required=False, choices=LEVEL_CHOICES)
    reading = forms.ChoiceField(label=_("Reading"), required=False, choices=LEVEL_CHOICES)
    spoken_interaction = forms.ChoiceField(
        label=_("Spoken interaction"), required=False, choices=LEVEL_CHOICES
    )
    spoken_production = forms.ChoiceField(label=_("Spoken production"), required=False, choices=LEVEL_CHOICES)
    writing = forms.ChoiceField(label=_("Writing"), required=False, choices=LEVEL_CHOICES)
    mandatory = forms.BooleanField(
        label=_("Mandatory"),
        required=False,
        initial=True,
        help_text=_("A mandatory level is a condition; otherwise it only counts in the ranking."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        levels = [cleaned.get(skill) for skill in (*LANGUAGE_SKILLS, "overall")]
        if cleaned.get("language") and not any(levels):
            self.add_error("overall", _("Choose the minimum level in this language."))
        if any(levels) and not cleaned.get("language"):
            self.add_error("language", _("Choose the language of these levels."))
        return cleaned

    def requirement(self) -> LanguageRequirementInput | None:
        data = self.cleaned_data
        if not data.get("language"):
            return None
        overall = data.get("overall") or ""
        return LanguageRequirementInput(
            language=data["language"],
            mandatory=bool(data.get("mandatory")),
            **{skill: data.get(skill) or overall for skill in LANGUAGE_SKILLS},
        )


if TYPE_CHECKING:
    _LanguageFormSetBase = BaseFormSet[LanguageRequirementForm]
else:  # BaseFormSet is generic in the type stubs only
    _LanguageFormSetBase = BaseFormSet


class BaseLanguageFormSet(_LanguageFormSetBase):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        languages = [
            form.cleaned_data.get("language") for form in self.forms if form.cleaned_data.get("language")
        ]
        if len(languages) != len(set(languages)):
            raise ValidationError(_("Each language can be required only once."))

    def requirements(self) -> list[LanguageRequirementInput]:
        return [requirement for form in self.forms if (requirement := form.requirement()) is not None]


def language_formset(
    data: Any = None, *, initial: list[dict[str, object]] | None = None
) -> BaseLanguageFormSet:
    """The language rows: at least ``LANGUAGE_ROWS``, more when the vacancy already has more."""
    rows = max(LANGUAGE_ROWS, len(initial or []))
    formset_class = formset_factory(
        LanguageRequirementForm,
        formset=BaseLanguageFormSet,
        extra=rows - len(initial or []),
        max_num=rows,
        validate_max=True,
        absolute_max=rows,
    )
    return cast(BaseLanguageFormSet, formset_class(data, initial=initial, prefix="languages"))


class PublishForm(forms.Form):
    # Publication with blocking findings needs this ticked: see vacancies.authoring.employer_vacancy_publish.
    confirm_blocking = forms.BooleanField(
        label=_("I understand that candidates from abroad cannot get a permit for this vacancy as it is."),
        required=False,
    )
