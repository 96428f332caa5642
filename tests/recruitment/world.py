"""A small matching world in the database for the recompute tests: one Flemish shortage occupation
(welder), its reference data, an employer and candidates whose outcomes differ.

Dates are relative to today: the recompute always evaluates on today's date. The builders end as every
write path does, by marking the new rows stale (which queues their recompute after commit).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from candidates.models import Candidate, Consent, Diploma, LanguageProficiency, WorkExperience
from candidates.services import candidate_profile_changed
from core.models import Organisation, User
from reference.models import (
    EscoOccupation,
    QualificationLevelEquivalence,
    SalaryThreshold,
    ShortageList,
    ShortageListEntry,
    ShortageListOccupation,
)
from tests.factories import (
    CandidateFactory,
    EscoOccupationFactory,
    OrganisationFactory,
    VacancyFactory,
    isco_unit_group,
)
from vacancies.models import Vacancy, VacancyLanguageRequirement
from vacancies.services import vacancy_requirements_changed

LEVELS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")


@dataclass
class World:
    employer: Organisation
    welder: EscoOccupation
    partner: Organisation


def build_world() -> World:
    """Reference data (ISCED-VKS crosswalk, a migration list with welders, thresholds), an employer."""
    for isced, low, high in ((2, 2, 2), (3, 3, 4), (4, 4, 4), (5, 5, 5), (6, 6, 6), (7, 7, 7), (8, 8, 8)):
        QualificationLevelEquivalence.objects.get_or_create(
            isced_level=isced, defaults={"vks_min": low, "vks_max": high}
        )
    welder = EscoOccupationFactory.create(label_en="welder", isco_group=isco_unit_group("7212"))
    since = datetime.date(2020, 1, 1)
    shortage = ShortageList.objects.create(
        kind=ShortageList.Kind.MIGRATION_MEDIUM_SKILLED,
        region="VLG",
        title="Migration list",
        valid_from=since,
    )
    entry = ShortageListEntry.objects.create(shortage_list=shortage, title_nl="Lasser", isco_code="7212")
    ShortageListOccupation.objects.create(entry=entry, occupation=welder)
    for category, amount in (("highly_skilled", "58000"), ("highly_skilled_reduced", "46000")):
        SalaryThreshold.objects.create(
            region="VLG", category=category, valid_from=since, annual_gross_eur=Decimal(amount)
        )
    return World(
        employer=OrganisationFactory.create(employer=True, name="Metaalwerken Gent"),
        welder=welder,
        partner=OrganisationFactory.create(),
    )


def welder_vacancy(world: World, **fields: object) -> Vacancy:
    """A published welder vacancy in Ghent needing Dutch B1 to understand and discuss safety."""
    values: dict[str, object] = {
        "employer": world.employer,
        "occupation": world.welder,
        "function_vks_level": 3,
        "gross_annual_salary_eur": Decimal("40368.00"),
        "pay_category": Vacancy.PayCategory.SKILLED,
        "min_experience_years": Decimal(2),
        "status": Vacancy.Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    vacancy = VacancyFactory.create(**(values | fields))
    VacancyLanguageRequirement.objects.create(
        vacancy=vacancy,
        language="nl",
        listening="B1",
        reading="A2",
        spoken_interaction="B1",
        spoken_production="A2",
        writing="A1",
    )
    vacancy_requirements_changed(vacancy.pk)  # as every write path does: queues its recompute
    vacancy.refresh_from_db()
    return vacancy


def welder_candidate(world: World, *, dutch: str = "B1", years: int = 4, **fields: object) -> Candidate:
    """A Moroccan welder abroad: vocational diploma, ``years`` of welding, Dutch at ``dutch`` everywhere,
    consenting to be shown to the employer."""
    candidate = CandidateFactory.create(registered_by=world.partner, **fields)
    today = timezone.localdate()
    LanguageProficiency.objects.create(candidate=candidate, language="nl", **dict.fromkeys(LEVELS, dutch))
    Diploma.objects.create(
        candidate=candidate, title="Soudure", institution="OFPPT", country="MA", field="0715", isced_level=3
    )
    WorkExperience.objects.create(
        candidate=candidate,
        occupation=world.welder,
        country="MA",
        started_on=today - datetime.timedelta(days=365 * years + 5),
    )
    Consent.objects.create(
        candidate=candidate,
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient=world.employer,
        text_version="2026-01",
        granted_at=timezone.now() - datetime.timedelta(days=1),
    )
    candidate_profile_changed(candidate.pk)  # as every write path does: queues their recompute
    candidate.refresh_from_db()
    return candidate


def sign_in_with_second_factor(client: Client, user: User) -> Client:
    """Sign ``user`` in as if they had verified a TOTP code: staff owe a second factor (core.security)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
