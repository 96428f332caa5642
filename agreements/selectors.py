"""Reads of agreements and shares. Selectors never write.

What an agency sees: the shares made to itself, and the published vacancies shared with it right now
(``vacancies_shared_with``); another agency's share is never returned, so a page or an API answer built
on these cannot leak it.
"""

from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation

from agreements.models import Agreement, VacancyShare
from core.models import Organisation
from reference.models import EscoOccupation
from vacancies.models import Vacancy, VacancyQuerySet
from vacancies.selectors import SUSPENDED


def _count_of(rows: QuerySet[Any]) -> Subquery:
    """A scalar subquery: how many of ``rows`` (already narrowed to the outer agreement) there are."""
    return Subquery(
        rows.order_by().values("agreement_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def agreements_list() -> QuerySet[Agreement]:
    """Every agreement with how many agencies it names and how many shares are active (two subqueries:
    no join of agencies by shares, whose product grows with both)."""
    agencies = Agreement.agencies.through.objects.filter(agreement_id=OuterRef("pk"))
    active = VacancyShare.objects.filter(agreement_id=OuterRef("pk"), withdrawn_at__isnull=True)
    return Agreement.objects.annotate(
        agency_count=Coalesce(_count_of(agencies), 0),
        active_share_count=Coalesce(_count_of(active), 0),
    ).order_by("name")


def agreement_by_code(code: str) -> Agreement | None:
    return (
        Agreement.objects.filter(code=code)
        .prefetch_related(
            Prefetch("agencies", queryset=Organisation.objects.order_by("name")),
            Prefetch("occupations", queryset=EscoOccupation.objects.order_by("label_en")),
        )
        .first()
    )


def agreement_shares(agreement: Agreement) -> QuerySet[VacancyShare]:
    """The agreement's shares, active first, newest first, with what a row shows (one query)."""
    return (
        VacancyShare.objects.filter(agreement=agreement)
        .select_related("vacancy", "vacancy__employer", "agency")
        .order_by("withdrawn_at", "-shared_at", "pk")
    )


def shares_for_agency(organisation: Organisation) -> QuerySet[VacancyShare]:
    """The shares made to ``organisation`` (active and withdrawn): active first, newest first."""
    return (
        VacancyShare.objects.filter(agency=organisation)
        .select_related("vacancy", "vacancy__employer", "vacancy__occupation", "agreement")
        .order_by("withdrawn_at", "-shared_at", "pk")
    )


def vacancy_shares(vacancy_id: int) -> QuerySet[VacancyShare]:
    """Where one vacancy is shared, or was (the recruiter's vacancy page): one query."""
    return (
        VacancyShare.objects.filter(vacancy_id=vacancy_id)
        .select_related("agency", "agreement")
        .order_by("withdrawn_at", "agreement__name", "agency__name")
    )


def vacancies_shared_with(*, organisation: Organisation) -> VacancyQuerySet:
    """Published vacancies actively shared with ``organisation`` under an agreement, of employers in good
    standing (the same standing rule as ``vacancies.selectors.vacancies_for_partner``)."""
    return shared_with_condition(Vacancy.objects.open(), organisation=organisation).exclude(
        employer__compliance_status__in=SUSPENDED
    )


def shared_with_condition(
    vacancies: VacancyQuerySet, *, organisation: Organisation, agreement_code: str | None = None
) -> VacancyQuerySet:
    """``vacancies`` narrowed to those with an active share to ``organisation`` (under the agreement
    ``agreement_code``, when given)."""
    return vacancies.filter(Exists(active_shares(organisation=organisation, agreement_code=agreement_code)))


def active_shares(*, organisation: Organisation, agreement_code: str | None = None) -> QuerySet[VacancyShare]:
    """A subquery: the active shares of the outer vacancy to ``organisation``."""
    shares = VacancyShare.objects.filter(
        vacancy_id=OuterRef("pk"), agency=organisation, withdrawn_at__isnull=True
    )
    if agreement_code:
        shares = shares.filter(agreement__code=agreement_code)
    return shares


def agency_shares_prefetch(organisation: Organisation) -> "Prefetch[Any]":
    """Prefetch each vacancy's active shares to ``organisation`` as ``agency_shares`` (one query)."""
    return Prefetch(
        "shares",
        queryset=VacancyShare.objects.filter(agency=organisation, withdrawn_at__isnull=True)
        .select_related("agreement")
        .order_by("shared_at", "pk"),
        to_attr="agency_shares",
    )


def partner_agency_choices() -> QuerySet[Organisation]:
    """The organisations an agreement may name: partner organisations (agencies, international ones)."""
    return Organisation.objects.filter(kind__in=Organisation.PARTNER_KINDS).order_by("name")


def occupation_choices() -> list[tuple[int, str]]:
    """Every reference occupation, labelled in the user's language (one query)."""
    language = (translation.get_language() or "en")[:2]
    rows = EscoOccupation.objects.values_list("pk", "label_en", "label_nl", "label_fr", "isco_group_id")
    labelled = []
    for pk, label_en, label_nl, label_fr, isco in rows:
        label = {"nl": label_nl, "fr": label_fr}.get(language) or label_en
        labelled.append((pk, f"{label} ({isco})"))
    return sorted(labelled, key=lambda choice: choice[1].lower())
