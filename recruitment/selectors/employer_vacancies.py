"""Reads for the employer's vacancy pages: the occupation choices of the form, a vacancy's language
requirements, its pre-publication check, and the employer's list with overdue answers. Never writes."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation

from core.memo import memoised
from recruitment.models import Placement
from recruitment.selectors import employer_vacancy_list
from reference.models import EscoOccupation, IscoGroup
from reference.models.taxonomy import concept_label
from vacancies.checker import CheckResult
from vacancies.checks import vacancy_check
from vacancies.models import LANGUAGE_SKILLS, Vacancy, VacancyLanguageRequirement, VacancyQuerySet

OccupationChoices = list[tuple[str, list[tuple[int, str]]]]


def occupation_choices() -> OccupationChoices:
    """Every reference occupation in the user's language, grouped by ISCO-08 major group (an optgroup
    per group keeps a long list navigable by keyboard and screen reader). Two queries.
    Kept ``READ_CACHE_SECONDS`` in each process (``core.memo``)."""
    return memoised(f"occupation_choices:{translation.get_language()}", _occupation_choices_read)


def _occupation_choices_read() -> OccupationChoices:
    """Every reference occupation in the user's language, grouped by ISCO-08 major group (an optgroup
    per group keeps a long list navigable by keyboard and screen reader). Two queries."""
    language = (translation.get_language() or "nl")[:2]
    majors = {group.code: group.label for group in IscoGroup.objects.filter(level=1).order_by("code")}
    grouped: dict[str, list[tuple[int, str]]] = {}
    for pk, label_en, label_nl, label_fr, alt_nl, alt_fr, isco in EscoOccupation.objects.values_list(
        "pk", "label_en", "label_nl", "label_fr", "alt_labels_nl", "alt_labels_fr", "isco_group_id"
    ):
        label = concept_label(
            language,
            preferred={"en": label_en, "nl": label_nl, "fr": label_fr},
            alternatives={"nl": alt_nl, "fr": alt_fr},
        )
        major = isco[:1]
        grouped.setdefault(major, []).append((pk, label))
    return [
        (f"{major} · {majors.get(major, major)}", sorted(options, key=lambda option: option[1].casefold()))
        for major, options in sorted(grouped.items())
    ]


def vacancy_language_rows(vacancy: Vacancy) -> list[dict[str, object]]:
    """The vacancy's language requirements as the form's initial rows."""
    return [
        {
            "language": row.language,
            "mandatory": row.mandatory,
            **{s: getattr(row, s) for s in LANGUAGE_SKILLS},
        }
        for row in VacancyLanguageRequirement.objects.filter(vacancy=vacancy).order_by("pk")
    ]


@dataclass(frozen=True)
class LanguageLine:
    language: str  # the language's name in the user's language
    levels: list[tuple[str, str]]  # (skill label, minimum level), the skills with a requirement
    same_level: str  # the level when every skill asks the same one, else ""
    mandatory: bool


def vacancy_language_requirements(vacancy: Vacancy) -> list[LanguageLine]:
    """The vacancy's language requirements, for display."""
    labels = {
        field.name: str(field.verbose_name)
        for field in VacancyLanguageRequirement._meta.concrete_fields
        if field.name in LANGUAGE_SKILLS
    }
    lines = []
    for row in VacancyLanguageRequirement.objects.filter(vacancy=vacancy).order_by("pk"):
        levels = [(labels[skill], getattr(row, skill)) for skill in LANGUAGE_SKILLS if getattr(row, skill)]
        distinct = {level for _skill, level in levels}
        same = distinct.pop() if len(levels) == len(LANGUAGE_SKILLS) and len(distinct) == 1 else ""
        lines.append(LanguageLine(row.get_language_display(), levels, same, row.mandatory))
    return lines


def vacancy_check_for(
    vacancy: Vacancy, *, today: datetime.date, language_requirement_count: int | None = None
) -> CheckResult:
    """The pre-publication check of a saved vacancy (vacancies.checker), on its start date or today."""
    return vacancy_check(vacancy, today=today, language_requirement_count=language_requirement_count)


def employer_vacancy_list_with_overdue(*, organisation_id: int, today: datetime.date) -> VacancyQuerySet:
    """The employer's own vacancies (``employer_vacancy_list``) with the number of proposals whose answer
    is overdue, among those it may see, each counted in a correlated subquery for the rows shown only."""
    overdue = (
        Placement.objects.shared_with_employer()
        .filter(vacancy=OuterRef("pk"))
        .filter(Q(stage=Placement.Stage.PROPOSED, response_due_on__lt=today))
        .order_by()
        .values("vacancy")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return employer_vacancy_list(organisation_id=organisation_id).annotate(
        overdue_count=Coalesce(Subquery(overdue), 0)
    )


@dataclass(frozen=True)
class Overdue:
    due_on: datetime.date
    since: datetime.date  # the first day the answer is late


def overdue_state(placement: Placement, today: datetime.date) -> Overdue | None:
    """Whether the employer's answer to a proposal is late, and since when."""
    due = placement.response_due_on
    if placement.stage != Placement.Stage.PROPOSED or due is None or due >= today:
        return None
    return Overdue(due_on=due, since=due + datetime.timedelta(days=1))
