"""A small world for the EU Talent Pool export: a nurse occupation with a real ESCO URI on a Flemish
shortage list in force today, an ESCO skill and a Talentbrug-curated one, and helpers that make a
consenting candidate with a full profile and a published shortage vacancy. Dates are computed when a
helper runs, never at import."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from candidates.models import Candidate, CandidateSkill, Consent, WorkExperience
from core.models import Organisation
from reference.models import (
    EscoOccupation,
    EscoSkill,
    ShortageList,
    ShortageListEntry,
    ShortageListOccupation,
)
from tests import factories
from vacancies.models import Vacancy, VacancySkill

NURSE_URI = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"
ESCO_SKILL_URI = "http://data.europa.eu/esco/skill/2b1e3e4b-5a8f-4c2e-9a34-1f0c6d7e8a90"
CURATED_SKILL_URI = "urn:talentbrug:skill:measure-vital-signs"


@dataclass
class TalentPoolWorld:
    nurse: EscoOccupation  # on the Flemish shortage list in force
    cook: EscoOccupation  # on no list
    esco_skill: EscoSkill
    curated_skill: EscoSkill
    shortage_list: ShortageList
    employer: Organisation


def build_talent_pool_world() -> TalentPoolWorld:
    today = timezone.localdate()
    nurse = factories.EscoOccupationFactory.create(
        uri=NURSE_URI,
        label_en="nurse responsible for general care",
        isco_group=factories.isco_unit_group("2221"),
    )
    cook = factories.EscoOccupationFactory.create(
        uri="http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e",
        label_en="cook",
        isco_group=factories.isco_unit_group("5120"),
    )
    esco_skill = factories.EscoSkillFactory.create(uri=ESCO_SKILL_URI, label_en="apply health sciences")
    curated_skill = factories.EscoSkillFactory.create(
        uri=CURATED_SKILL_URI, label_en="measure vital signs", esco_version="talentbrug-curated"
    )
    shortage_list = ShortageList.objects.create(
        kind=ShortageList.Kind.VDAB_SHORTAGE,
        region="VLG",
        title="Knelpuntberoepen",
        valid_from=today - datetime.timedelta(days=60),
    )
    entry = ShortageListEntry.objects.create(shortage_list=shortage_list, title_nl="Verpleegkundige")
    ShortageListOccupation.objects.create(entry=entry, occupation=nurse)
    employer = factories.OrganisationFactory.create(employer=True, name="Zorghuis Gent")
    return TalentPoolWorld(nurse, cook, esco_skill, curated_skill, shortage_list, employer)


def consent(
    candidate: Candidate, purpose: str = Consent.Purpose.TALENT_POOL_EXPORT, **fields: object
) -> Consent:
    fields.setdefault("granted_at", timezone.now() - datetime.timedelta(days=30))
    return factories.ConsentFactory.create(candidate=candidate, purpose=purpose, **fields)


def full_candidate(world: TalentPoolWorld, *, consented: bool = True, **fields: object) -> Candidate:
    """A candidate with a language (CEFR per skill), a diploma, experience, two skills and a desired
    occupation; with a talent pool consent in force unless ``consented`` is false."""
    fields.setdefault("available_from", timezone.localdate() + datetime.timedelta(days=90))
    fields.setdefault("nationalities", ["MA"])
    candidate = factories.CandidateFactory.create(
        email="someone@example.org", phone="+212600000000", **fields
    )
    factories.LanguageProficiencyFactory.create(
        candidate=candidate,
        language="nl",
        listening="B1",
        reading="B1",
        spoken_interaction="A2",
        spoken_production="A2",
        writing="",
    )
    factories.LanguageProficiencyFactory.create(candidate=candidate, language="ar", is_native=True)
    factories.LanguageProficiencyFactory.create(candidate=candidate, language="xx", listening="A1")
    factories.DiplomaFactory.create(candidate=candidate, awarded_on=datetime.date(2018, 6, 30))
    WorkExperience.objects.create(
        candidate=candidate,
        occupation=world.nurse,
        job_title="Staff nurse",
        employer_name="Hôpital Ibn Sina",
        country="MA",
        started_on=datetime.date(2019, 1, 1),
        fte=Decimal("0.80"),
    )
    CandidateSkill.objects.create(candidate=candidate, skill=world.esco_skill)
    CandidateSkill.objects.create(candidate=candidate, skill=world.curated_skill)
    candidate.desired_occupations.add(world.nurse)
    if consented:
        consent(candidate, countries=["BE", "NL"])
    return candidate


def shortage_vacancy(world: TalentPoolWorld, **fields: object) -> Vacancy:
    """A published nurse vacancy in Ghent (Flanders): on the shortage list in force."""
    fields.setdefault("occupation", world.nurse)
    fields.setdefault("employer", world.employer)
    fields.setdefault("status", Vacancy.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=3))
    vacancy = factories.VacancyFactory.create(title="Verpleegkundige", **fields)
    VacancySkill.objects.create(vacancy=vacancy, skill=world.esco_skill, relation_type="essential")
    VacancySkill.objects.create(vacancy=vacancy, skill=world.curated_skill, relation_type="optional")
    factories.VacancyLanguageRequirementFactory.create(vacancy=vacancy, language="nl")
    return vacancy
