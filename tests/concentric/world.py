"""Vacancies for the concentric search's tests: a shortage vacancy (a welder, on the migration list of
``tests.recruitment.world``) and a vacancy whose occupation is on no list, and an agreement sharing one."""

import datetime

from django.utils import timezone

from agreements.models import Agreement, VacancyShare
from agreements.services import vacancy_shares_sync
from core.models import Organisation
from tests import factories
from tests.recruitment.world import World, build_world, welder_vacancy
from vacancies.models import Vacancy


def shortage_vacancy(world: World, **fields: object) -> Vacancy:
    return welder_vacancy(world, **fields)


def ordinary_vacancy(world: World, **fields: object) -> Vacancy:
    """Published, its occupation on no shortage list."""
    values: dict[str, object] = {
        "employer": world.employer,
        "title": "Boekhouder",
        "status": Vacancy.Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    return factories.VacancyFactory.create(**(values | fields))


def share(vacancy: Vacancy, *, country: str = "TN", agency: Organisation | None = None) -> VacancyShare:
    """An agreement with ``country`` naming the vacancy's occupation and one agency; the agreements'
    own service shares the vacancy with it, as the vacancy's recompute does."""
    agreement = Agreement.objects.create(
        code=f"talent-{country.lower()}",
        name=f"Talent partnership {country}",
        kind=Agreement.Kind.TALENT_PARTNERSHIP,
        partner_country=country,
        starts_on=timezone.localdate() - datetime.timedelta(days=365),
    )
    agreement.occupations.add(vacancy.occupation)
    agreement.agencies.add(agency or factories.OrganisationFactory.create(name=f"Agency {country}"))
    vacancy_shares_sync(vacancy.pk)
    return VacancyShare.objects.get(vacancy=vacancy, agreement=agreement)


__all__ = ["World", "build_world", "ordinary_vacancy", "share", "shortage_vacancy"]
