"""The vacancy's own route summary (the header of the recruiter's vacancy page: which permit routes "can
open") says what the matching core says (issue 12, item 5c). It once showed the labour-market-test route
open while every match of the vacancy said its publication was too old."""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from recruitment.adapters import reference_facts_on, vacancy_facts
from recruitment.matching.facts import CandidateFacts, DiplomaFacts, Recognition, ReferenceFacts, VacancyFacts
from recruitment.matching.results import Outcome
from recruitment.matching.routes import check_routes
from recruitment.selectors import vacancy_outlooks
from reference.models import (
    EscoOccupation,
    SalaryThreshold,
    ShortageList,
    ShortageListEntry,
    ShortageListOccupation,
)
from tests import factories
from tests.web.world import WebWorld, published_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2020, 1, 1)


def _on_vdab_list(occupation: EscoOccupation) -> None:
    shortage_list, _created = ShortageList.objects.get_or_create(
        kind=ShortageList.Kind.VDAB_SHORTAGE, region="VLG", valid_from=SINCE, defaults={"title": "Knelpunt"}
    )
    entry = ShortageListEntry.objects.create(shortage_list=shortage_list, title_nl=str(occupation))
    ShortageListOccupation.objects.create(entry=entry, occupation=occupation)


def _header(page: str) -> str:
    """The facts at the top of the recruiter's vacancy page, tags removed, spaces collapsed."""
    facts = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", facts).split())


def test_a_publication_too_old_shows_the_route_closed_with_its_reason_in_the_header(
    world: WebWorld, recruiter: Client
) -> None:
    _on_vdab_list(world.vacancy.occupation)  # welders: on the migration list and now the VDAB list too
    long_ago = timezone.localdate() - datetime.timedelta(days=200)
    Vacancy.objects.filter(pk=world.vacancy.pk).update(
        vdab_published_on=long_ago, eures_published_on=long_ago
    )

    header = _header(recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/").text)
    can_open = header.split("Permit routes it can open", 1)[1].split("Open to the projects", 1)[0]
    assert "Medium-skilled shortage function" in can_open
    opened, _sep, closed = can_open.partition("Closed by the vacancy's own terms")
    assert "labour-market test" not in opened
    assert (
        "VDAB shortage occupation (labour-market test): The publication is older than four months" in closed
    )

    # Published again three weeks ago: the test is under way, the route can open (near-misses meanwhile).
    recent = timezone.localdate() - datetime.timedelta(days=21)
    Vacancy.objects.filter(pk=world.vacancy.pk).update(vdab_published_on=recent, eures_published_on=recent)
    header = _header(recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/").text)
    assert "Closed by the vacancy's own terms" not in header
    assert "VDAB shortage occupation (labour-market test) (Published for 21 days" in header


def _ideal_candidate(age: int) -> CandidateFacts:
    """A candidate abroad who meets every candidate-side condition of every route (a recognised master's),
    so that only the vacancy's own terms can close a route for them."""
    today = timezone.localdate()
    master = DiplomaFacts(
        isced_level=7,
        duration_years=2,
        state_recognised=True,
        private_institution=False,
        field="0715",
        recognition=Recognition.FULL_EQUIVALENCE,
        recognised_isced_level=7,
        licence_to_practise=True,
    )
    return CandidateFacts(
        id=0,
        date_of_birth=today.replace(year=today.year - age, day=1),
        nationalities=frozenset({"MA"}),
        in_belgium=False,
        languages=(),
        language_courses=(),
        diplomas=(master,),
        experiences=(),
        skills=(),
        licences=frozenset(),
        available_from=None,
        desired_occupation_ids=frozenset(),
        preferred_regions=frozenset(),
        accepts_entry_role_during_recognition=True,
        consented_employer_ids=frozenset(),
        has_unrepaid_candidate_paid_cost=False,
        training_completed=True,
    )


def _can_open(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> set[str]:
    """The routes the core does not close for this candidate (eligible, or with closable gaps only)."""
    checks = check_routes(candidate, vacancy, facts)
    return {check.route.value for check in checks if check.outcome is not Outcome.INELIGIBLE}


def test_the_outlook_agrees_with_the_matching_core_for_a_set_of_vacancies(world: WebWorld) -> None:
    """For each vacancy, a route "can open" exactly when the core does not close it for a candidate who
    meets every candidate-side condition (under 30, so the reduced threshold applies; the "reduced
    threshold only" flag is the difference with the same candidate over 30)."""
    SalaryThreshold.objects.create(
        region="VLG", category="eu_blue_card", valid_from=SINCE, annual_gross_eur=Decimal("63586")
    )
    welder = world.vacancy.occupation  # on the migration list
    nurse = factories.EscoOccupationFactory.create()
    _on_vdab_list(nurse)
    both = factories.EscoOccupationFactory.create()
    _on_vdab_list(both)
    entry = ShortageListEntry.objects.create(
        shortage_list=ShortageList.objects.get(kind=ShortageList.Kind.MIGRATION_MEDIUM_SKILLED), title_nl="x"
    )
    ShortageListOccupation.objects.create(entry=entry, occupation=both)
    today = timezone.localdate()
    publications = [
        (None, None),
        (today - datetime.timedelta(days=200), today - datetime.timedelta(days=200)),  # too old
        (today - datetime.timedelta(days=21), today - datetime.timedelta(days=30)),  # under way
        (today - datetime.timedelta(days=80), today - datetime.timedelta(days=70)),  # long enough
        (today - datetime.timedelta(days=80), None),  # on VDAB only
    ]
    terms = [
        {"function_vks_level": 3, "gross_annual_salary_eur": Decimal("40000"), "pay_category": "skilled"},
        {"function_vks_level": 2, "gross_annual_salary_eur": Decimal("40000"), "pay_category": ""},
        {
            "function_vks_level": 4,
            "gross_annual_salary_eur": Decimal("47000"),
            "pay_category": "semi_skilled",
        },
        {"function_vks_level": 5, "gross_annual_salary_eur": Decimal("50000"), "is_secondment": True},
        {
            "function_vks_level": 6,
            "gross_annual_salary_eur": Decimal("70000"),
            "contract_type": "fixed_term",
            "contract_months": 4,
        },
        {"function_vks_level": 4, "gross_annual_salary_eur": Decimal("65000"), "pay_category": "skilled"},
    ]
    vacancies = [
        published_vacancy(
            world.employer_a,
            occupation=occupation,
            vdab_published_on=vdab,
            eures_published_on=eures,
            **fields,
        )
        for occupation, (vdab, eures), fields in itertools.product((welder, nurse, both), publications, terms)
    ]

    outlooks = vacancy_outlooks(vacancies, day=today)
    facts = reference_facts_on(today)
    young, older = _ideal_candidate(25), _ideal_candidate(40)
    for vacancy in vacancy_facts(Vacancy.objects.filter(pk__in=[v.pk for v in vacancies])):
        outlook = outlooks[vacancy.id]
        assert set(outlook.routes) == _can_open(young, vacancy, facts), vacancy
        reduced_only = "highly_skilled" not in _can_open(older, vacancy, facts)
        assert outlook.reduced_threshold_only == ("highly_skilled" in outlook.routes and reduced_only), (
            vacancy
        )
