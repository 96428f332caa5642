"""Demo data of the concentric search (docs/pathways/concentric-search.md): written only where missing, so
a second run adds nothing.

The channels of a vacancy are set by its recompute job, which the demo runs when it generates the
vacancies. Here: a published vacancy whose occupation is on no shortage list, if the generated ones hold
none (the demo's occupations are shortage occupations), so the page can show a vacancy searched in
Flanders only; and the channels of every published vacancy that no recompute has seen yet (one a
pathway seeder adds after the generation, or a demo seeded with ``--no-recompute``), from the same service.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from concentric.models import SearchChannelPeriod, VacancySearchState
from concentric.services import vacancy_search_sync
from concentric.shortage import SHORTAGE_LIST_KINDS
from core.choices import Region
from core.models import Organisation
from recruitment.models import Match
from reference.in_force import in_force_lists
from reference.models import EscoOccupation
from vacancies.models import Vacancy
from vacancies.services import vacancy_requirements_changed

ORDINARY_TITLE = "Accountant (demo data)"


def seed_demo_concentric() -> dict[str, int]:
    """Seed what shows the pathway; return how many rows of each kind were written (label -> count)."""
    vacancies = _ordinary_vacancy()
    missing = list(
        Vacancy.objects.open().filter(search_state__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    opened = 0
    for vacancy_id in missing:
        result = vacancy_search_sync(
            vacancy_id=vacancy_id, matches=Match.objects.filter(vacancy_id=vacancy_id)
        )
        opened += len(result.opened)
    return {
        Vacancy._meta.label: vacancies,
        VacancySearchState._meta.label: len(missing),
        SearchChannelPeriod._meta.label: opened,
    }


@transaction.atomic
def _ordinary_vacancy() -> int:
    """One published vacancy of a demo employer whose occupation is on no shortage list (1 written), unless
    one exists already or the demo has no employer."""
    # On no regional shortage list in force today (the lists ``concentric.shortage`` reads).
    in_force = in_force_lists(timezone.localdate(), region=Region.FLANDERS).filter(
        kind__in=SHORTAGE_LIST_KINDS
    )
    unlisted = EscoOccupation.objects.exclude(shortage_links__entry__shortage_list__in=in_force)
    if Vacancy.objects.open().filter(occupation__in=unlisted).exists():
        return 0
    employer = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).order_by("pk").first()
    occupation = unlisted.order_by("pk").first()
    if employer is None or occupation is None:
        return 0
    vacancy = Vacancy.objects.create(
        employer=employer,
        occupation=occupation,
        title=ORDINARY_TITLE,
        description="Demo data. A vacancy on no shortage list: searched in Flanders only.",
        municipality="Antwerpen",
        postal_code="2000",
        region="VLG",
        function_vks_level=5,
        gross_annual_salary_eur=Decimal("45000.00"),
        contract_type=Vacancy.ContractType.INDEFINITE,
        weekly_hours=Decimal(38),
        status=Vacancy.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    vacancy_requirements_changed(vacancy.pk)  # its matches are computed by its recompute, as for any vacancy
    return 1
