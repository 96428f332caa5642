"""Demo data of this pathway (docs/pathways/): written only where missing, so a second run adds nothing.

Agreements that share vacancies automatically (docs/pathways/agreements.md), with only what the sources
say: VDAB has a memorandum of understanding with Taiwan under which engineering vacancies are shared
(seed 004, "memoranda van overeenstemming van VDAB"); the EU runs Talent Partnerships with Morocco,
Tunisia and Egypt (domain.md 6.3; seed 004). The sources name neither the Taiwanese nor the Egyptian
partner agency, nor the dates or occupations of the partnerships: those are demo organisations and demo
choices, and say so.
"""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from agreements.models import Agreement, VacancyShare
from agreements.services import agreement_save, agreement_shares_sync
from core.models import Organisation
from reference.models import EscoOccupation, ShortageList
from vacancies.models import Vacancy

SEED_004 = (
    "Seed document 004 (article on active recruitment outside the EU for Flanders): 'VDAB heeft een "
    "memorandum van overeenstemming met Taiwan, waardoor er automatisch vacatures voor ingenieurs worden "
    "gedeeld die zo in Vlaanderen ervaring kunnen opdoen.'"
)
TALENT_PARTNERSHIPS = (
    "EU Talent Partnerships, launched by the Commission in June 2021, with Tunisia, Morocco, Egypt, "
    "Bangladesh and Pakistan: https://home-affairs.ec.europa.eu/policies/migration-and-asylum/"
    "legal-migration-and-resettlement/talent-partnerships_en (domain.md 6.3); seed document 004."
)
DEMO_DATES = "The day it started is not in the sources: the date here is a demo value."

# Engineering professionals (ISCO-08 214x, 215x): what "vacatures voor ingenieurs" is taken to mean.
ENGINEERING = Q(isco_group__code__startswith="214") | Q(isco_group__code__startswith="215")


def _agency(short_name: str, name: str, country: str) -> Organisation:
    """The reference organisation with this short name (ANAPEC, ANETI), else a demo one."""
    agency = None
    if short_name:
        agency = (
            Organisation.objects.filter(short_name__iexact=short_name, kind__in=Organisation.PARTNER_KINDS)
            .order_by("pk")
            .first()
        )
    if agency is None:
        agency, _created = Organisation.objects.get_or_create(
            name=name, kind=Organisation.Kind.PARTNER_AGENCY, defaults={"country": country}
        )
    return agency


def _engineering_vacancy(occupation: EscoOccupation) -> int:
    """One published engineering vacancy of a demo employer, if the generated ones hold none (1 written)."""
    if Vacancy.objects.open().filter(occupation__in=EscoOccupation.objects.filter(ENGINEERING)).exists():
        return 0
    employer = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).order_by("pk").first()
    if employer is None:
        return 0
    Vacancy.objects.create(
        employer=employer,
        occupation=occupation,
        title="Process engineer (demo data)",
        description="Demo data. An engineering vacancy that the memorandum with Taiwan shares.",
        municipality="Gent",
        postal_code="9000",
        region="VLG",
        function_vks_level=7,
        min_isced_level=7,
        gross_annual_salary_eur=Decimal("56000.00"),
        contract_type=Vacancy.ContractType.INDEFINITE,
        weekly_hours=Decimal(38),
        status=Vacancy.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    return 1


def _agreement(code: str, **fields: object) -> tuple[Agreement, int]:
    found = Agreement.objects.filter(code=code).first()
    if found is not None:
        return found, 0
    agencies = fields.pop("agencies")
    occupations = fields.pop("occupations", [])
    return agreement_save(agencies=agencies, occupations=occupations, code=code, **fields), 1  # type: ignore[arg-type]


def seed_demo_agreements() -> dict[str, int]:
    """Seed what shows the pathway; return how many rows of each kind were written (label -> count)."""
    counts = {"agreements.agreement": 0, "agreements.share": 0, "agreements.vacancy": 0}
    engineering = list(EscoOccupation.objects.filter(ENGINEERING).order_by("pk"))
    if engineering:
        counts["agreements.vacancy"] += _engineering_vacancy(engineering[0])
    taiwan = _agency("", "Demo · Taiwanese partner agency (not named in the sources)", "TW")
    made = []
    agreement, written = _agreement(
        "vdab-taiwan-engineers",
        name="VDAB memorandum of understanding with Taiwan: engineering vacancies",
        kind=Agreement.Kind.MEMORANDUM,
        partner_country="TW",
        agencies=[taiwan],
        occupations=engineering,
        shortage_list_kinds=[],
        vacancy_kinds=[],
        regions=[],
        starts_on=datetime.date(2022, 1, 1),
        ends_on=None,
        sources=SEED_004,
        notes=f"Occupations: engineering professionals (ISCO-08 214x, 215x). {DEMO_DATES}",
    )
    made.append(agreement)
    counts["agreements.agreement"] += written
    for code, country, short_name, name in (
        ("eu-tp-morocco", "MA", "ANAPEC", "Demo · Moroccan employment agency"),
        ("eu-tp-tunisia", "TN", "ANETI", "Demo · Tunisian employment agency"),
        ("eu-tp-egypt", "EG", "", "Demo · Egyptian partner agency (not named in the sources)"),
    ):
        agreement, written = _agreement(
            code,
            name=f"EU Talent Partnership with {dict(MA='Morocco', TN='Tunisia', EG='Egypt')[country]}",
            kind=Agreement.Kind.TALENT_PARTNERSHIP,
            partner_country=country,
            agencies=[_agency(short_name, name, country)],
            occupations=[],
            # A demo choice: the sources give the partnerships' aims, not which vacancies they share.
            shortage_list_kinds=[ShortageList.Kind.VDAB_SHORTAGE],
            vacancy_kinds=[],
            regions=["VLG"],
            starts_on=datetime.date(2021, 1, 1),
            ends_on=None,
            sources=TALENT_PARTNERSHIPS,
            notes=(
                "Which vacancies it shares (occupations on the VDAB shortage list, in Flanders) is a demo "
                f"choice, not a term of the partnership. {DEMO_DATES}"
            ),
        )
        made.append(agreement)
        counts["agreements.agreement"] += written
    before = VacancyShare.objects.count()
    for agreement in made:  # in-process: the demo shows its shares at once (idempotent)
        agreement_shares_sync(agreement.pk)
    counts["agreements.share"] = VacancyShare.objects.count() - before
    return counts
