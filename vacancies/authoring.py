"""Writes of an employer's own vacancy from its pages: the vacancy with its language requirements, and
publication after the pre-publication check.

Built on ``vacancies.services`` (``vacancy_create`` / ``vacancy_update`` / ``vacancy_publish``), which
validate the vacancy and mark its matches stale with the recompute queued after commit; here the
language requirements are written in the same transaction, so the recompute sees both or neither.
Errors are ``ValidationError``s with messages in the user's language; nothing is written when one is
raised.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.models import Organisation, User
from vacancies.checks import vacancy_check
from vacancies.models import LANGUAGE_SKILLS, Vacancy, VacancyLanguageRequirement
from vacancies.services import vacancy_create, vacancy_publish, vacancy_update

# What an employer may change through its pages; the match stamps, the status and the projects a
# vacancy is open to are not among them (publication has its own service; projects are the PES's).
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "occupation_id",
        "description",
        "municipality",
        "postal_code",
        "region",
        "function_vks_level",
        "min_isced_level",
        "min_experience_years",
        "gross_annual_salary_eur",
        "joint_committee",
        "pay_category",
        "kind",
        "contract_type",
        "contract_months",
        "weekly_hours",
        "positions",
        "start_date",
        "is_secondment",
        "vdab_published_on",
        "eures_published_on",
        "employer_pays_travel",
        "employer_pays_visa",
        "employer_pays_housing",
        "employer_pays_attested",
    }
)
EDITABLE_STATUSES = frozenset({Vacancy.Status.DRAFT, Vacancy.Status.PUBLISHED})
# Sane bounds for the dates an employer writes, in whole years before and after today. Year 1 or 9999
# is a typo, and would be checked against lists and thresholds that cannot exist. A start date may lie
# a year back (a running vacancy) and up to three years ahead (a permit takes months, not years; no list
# or threshold is known further ahead); a publication date is a past fact, the labour-market test looks
# back four months, and three years leaves room for a long-running vacancy.
DATE_BOUNDS_IN_YEARS = {
    "start_date": (1, 3),
    "vdab_published_on": (3, 0),
    "eures_published_on": (3, 0),
}


class VacancyAuthoringError(ValidationError):
    """A change the rules refuse; the message says why, in the user's language."""


@dataclass(frozen=True)
class LanguageRequirementInput:
    language: str
    listening: str = ""
    reading: str = ""
    spoken_interaction: str = ""
    spoken_production: str = ""
    writing: str = ""
    mandatory: bool = True


def _employer_of(actor: User) -> Organisation:
    organisation = actor.organisation
    if actor.role != User.Role.EMPLOYER_USER or organisation is None:
        raise VacancyAuthoringError(_("Only an employer's own users can write its vacancies."))
    return organisation


def _check_actor(vacancy: Vacancy, actor: User) -> None:
    if _employer_of(actor).pk != vacancy.employer_id:
        raise VacancyAuthoringError(_("This vacancy belongs to another organisation."))


def _fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    return dict(fields)


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def vacancy_dates_check(fields: dict[str, Any], *, stored: Vacancy | None, today: datetime.date) -> None:
    """Refuse a date outside ``DATE_BOUNDS_IN_YEARS``, with the allowed range next to the field. Only a
    date being set is checked: a vacancy that started long ago can still be edited."""
    errors: dict[str, str] = {}
    for name, (back, ahead) in DATE_BOUNDS_IN_YEARS.items():
        value = fields.get(name)
        if value is None or (stored is not None and value == getattr(stored, name)):
            continue
        earliest, latest = _years_from(today, -back), _years_from(today, ahead)
        if not earliest <= value <= latest:
            errors[name] = _("Enter a date between %(earliest)s and %(latest)s.") % {
                "earliest": formats.date_format(earliest, "DATE_FORMAT"),
                "latest": formats.date_format(latest, "DATE_FORMAT"),
            }
    if errors:
        raise VacancyAuthoringError(errors, code="date_out_of_range")


def _kind_change_check(vacancy: Vacancy, fields: dict[str, Any]) -> None:
    """The kind decides the path of the vacancy's cases (an internship's return home, an employment's
    retention checks): it cannot change while a case on the vacancy is open, or that case would switch
    paths midway. Cases are ``recruitment``'s, which this app may not import: they are reached through the
    vacancy's reverse relation, with their own definition of open (``PlacementQuerySet.open``)."""
    kind = fields.get("kind")
    if kind is None or kind == vacancy.kind:
        return
    if vacancy.placements.open().exists():
        message = _("This vacancy has open cases: its kind cannot change until they are closed.")
        raise VacancyAuthoringError({"kind": ValidationError(message, code="kind_with_open_cases")})


def _replace_languages(vacancy: Vacancy, languages: list[LanguageRequirementInput]) -> None:
    seen: set[str] = set()
    rows = []
    for requirement in languages:
        if requirement.language in seen:
            raise VacancyAuthoringError(_("Each language can be required only once."))
        seen.add(requirement.language)
        row = VacancyLanguageRequirement(
            vacancy=vacancy,
            language=requirement.language,
            mandatory=requirement.mandatory,
            **{skill: getattr(requirement, skill) for skill in LANGUAGE_SKILLS},
        )
        row.full_clean(exclude=["vacancy"], validate_unique=False)
        rows.append(row)
    vacancy.language_requirements.all().delete()
    VacancyLanguageRequirement.objects.bulk_create(rows)


@transaction.atomic
def employer_vacancy_create(
    *,
    actor: User,
    fields: dict[str, Any],
    languages: list[LanguageRequirementInput],
    today: datetime.date | None = None,
) -> Vacancy:
    """Create a draft vacancy of the actor's organisation with its language requirements. Its first
    recompute is queued after commit; a draft has no matches until it is published."""
    employer = _employer_of(actor)
    vacancy_dates_check(fields, stored=None, today=today or timezone.localdate())
    vacancy = vacancy_create(employer=employer, status=Vacancy.Status.DRAFT, **_fields(fields))
    _replace_languages(vacancy, languages)
    return vacancy


@transaction.atomic
def employer_vacancy_update(
    *,
    vacancy: Vacancy,
    actor: User,
    fields: dict[str, Any],
    languages: list[LanguageRequirementInput],
    today: datetime.date | None = None,
) -> Vacancy:
    """Change the vacancy and replace its language requirements; marks its matches stale (one bump)."""
    _check_actor(vacancy, actor)
    if vacancy.status not in EDITABLE_STATUSES:
        raise VacancyAuthoringError(_("A filled or closed vacancy can no longer be changed."))
    vacancy_dates_check(fields, stored=vacancy, today=today or timezone.localdate())
    _kind_change_check(vacancy, fields)
    vacancy = vacancy_update(vacancy, **_fields(fields))
    _replace_languages(vacancy, languages)
    return vacancy


def employer_vacancy_publish(
    *, vacancy: Vacancy, actor: User, confirmed_blocking: bool, today: datetime.date
) -> Vacancy:
    """Publish a draft after the pre-publication check.

    A vacancy the check finds unlawful as written (an error: a salary under the minimum wage) is never
    published: nobody may be hired on it, here or from abroad. Findings that block international
    recruitment do not forbid publication: the vacancy may be filled by a candidate already allowed to
    work here, through VDAB's usual channels. They require the employer to confirm explicitly that it
    understands candidates from abroad cannot get a permit for it (``confirmed_blocking``), so the
    choice is made knowingly and is never a surprise later. The check runs again here, on the data as
    it is now, not as the page showed it.
    """
    _check_actor(vacancy, actor)
    if vacancy.employer.is_suspended:
        raise VacancyAuthoringError(
            _(
                "Your organisation is suspended: it cannot publish vacancies. "
                "Contact the public employment service."
            )
        )
    if vacancy.status != Vacancy.Status.DRAFT:
        raise VacancyAuthoringError(_("Only a draft vacancy can be published."))
    result = vacancy_check(vacancy, today=today)
    if result.refused:
        raise VacancyAuthoringError(
            _(
                "This vacancy cannot be published as it is: change what the check marks as preventing "
                "publication."
            ),
            code="refused",
        )
    if result.blocking and not confirmed_blocking:
        raise VacancyAuthoringError(
            _(
                "This vacancy has findings that block international recruitment. Confirm that you "
                "understand candidates from abroad cannot get a permit for it, or change the vacancy."
            ),
            code="confirmation_required",
        )
    with transaction.atomic():
        # Re-read under a lock: two clicks publish once, and a concurrent edit is not overwritten.
        locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if locked.status != Vacancy.Status.DRAFT:
            raise VacancyAuthoringError(_("Only a draft vacancy can be published."))
        return vacancy_publish(locked)


__all__ = [
    "LanguageRequirementInput",
    "VacancyAuthoringError",
    "employer_vacancy_create",
    "employer_vacancy_publish",
    "employer_vacancy_update",
]
