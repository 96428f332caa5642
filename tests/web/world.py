"""A small world for the browser application's tests: two employers, a published vacancy of the first
with an explained eligible match and a near-miss, a case proposed to it, and signed-in clients.

Matches are written as the recompute stores them (breakdown, reasons and routes as JSON), so the pages
render real explanations without running the matching engine.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from candidates.models import Candidate, CandidateSkill, Consent, WorkExperience
from core.models import Organisation, User
from projects.models import Cohort, Project
from recruitment.models import Match, Placement
from recruitment.services.placements import placement_propose, placement_shortlist
from tests import factories
from vacancies.models import Vacancy


def _reason(
    code: str, closable: bool = False, under_way: bool = False, **params: object
) -> dict[str, object]:
    return {"code": code, "params": params, "closable": closable, "under_way": under_way, "closes_by": None}


BREAKDOWN = [
    {
        "code": "occupation",
        "earned": 25.0,
        "possible": 25.0,
        "reason": _reason(
            "occupation.occupation", basis="experience", candidate_isco="7212", vacancy_isco="7212", share=1.0
        ),
    },
    {
        "code": "essential_skills",
        "earned": 20.0,
        "possible": 25.0,
        "reason": _reason("essential_skills.coverage", held=4, required=5, share=0.8),
    },
    {
        "code": "languages",
        "earned": 12.6,
        "possible": 15.0,
        "reason": _reason("languages.fit", skills_compared=5, skills_met=3, share=0.84),
    },
    {
        "code": "experience",
        "earned": 10.0,
        "possible": 10.0,
        "reason": _reason("experience.years", years=6.0, required=2.0, share=1.0),
    },
    {
        "code": "qualification",
        "earned": 7.5,
        "possible": 10.0,
        "reason": _reason(
            "qualification.level_and_recognition",
            isced=4,
            minimum_isced=3,
            recognition="requested",
            share=0.75,
        ),
    },
    {
        "code": "optional_skills",
        "earned": 2.5,
        "possible": 5.0,
        "reason": _reason("optional_skills.coverage", held=1, required=2, share=0.5),
    },
    {
        "code": "timing",
        "earned": 4.0,
        "possible": 5.0,
        "reason": _reason(
            "timing.readiness",
            available_from="2026-12-01",
            start_date="2027-01-15",
            availability_share=1.0,
            training_completed=False,
        ),
    },
    {
        "code": "preferences",
        "earned": 5.0,
        "possible": 5.0,
        "reason": _reason("preferences.match", occupation=1.0, region=1.0),
    },
]
ROUTES = [
    {
        "route": "highly_skilled",
        "outcome": "ineligible",
        "reasons": [
            _reason("route.highly_skilled.no_higher_education_diploma", best_isced=4, minimum_isced=5)
        ],
    },
    {
        "route": "eu_blue_card",
        "outcome": "ineligible",
        "reasons": [
            _reason("route.blue_card.salary_below_threshold", salary="42000.00", threshold="63586.00")
        ],
    },
    {
        "route": "medium_skilled_shortage",
        "outcome": "eligible",
        "reasons": [
            _reason(
                "route.medium.passed",
                qualification_vks=4,
                qualification_basis="diploma",
                pay_category="skilled",
            )
        ],
    },
    {
        "route": "other_vdab_list",
        "outcome": "ineligible",
        "reasons": [_reason("route.other.not_on_vdab_list", occupation_id=1)],
    },
]
NEAR_MISS_REASONS = [
    _reason(
        "language.below_minimum", closable=True, language="nl", skill="listening", required="B1", actual="A2"
    ),
]


@dataclass
class WebWorld:
    employer_a: Organisation
    employer_b: Organisation
    partner: Organisation
    vacancy: Vacancy
    other_vacancy: Vacancy  # employer B's
    candidate: Candidate  # eligible, proposed to A
    near_miss: Candidate  # conditional, not on any shortlist
    placement: Placement
    recruiter: User
    project: Project  # both candidates are in it, the proposed one in ``cohort``
    cohort: Cohort

    def urls(self) -> dict[str, str]:
        """The values of the placeholders in the authorisation matrix's URLs."""
        return {
            "vacancy": str(self.vacancy.public_id),
            "placement": str(self.placement.public_id),
            "candidate": str(self.candidate.public_id),
            "project": self.project.code,
            "cohort": str(self.cohort.pk),
        }


def published_vacancy(employer: Organisation, **fields: object) -> Vacancy:
    return factories.VacancyFactory.create(
        employer=employer,
        status=Vacancy.Status.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )


def stored_match(
    vacancy: Vacancy, candidate: Candidate, *, outcome: str = "eligible", score: str = "86.60"
) -> Match:
    return Match.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        outcome=outcome,
        score=Decimal(score),
        breakdown=BREAKDOWN,
        reasons=NEAR_MISS_REASONS if outcome == Match.Outcome.CONDITIONAL else [],
        routes=ROUTES,
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=timezone.now(),
    )


def matched_candidate(vacancy: Vacancy, *, consent: bool = True, **fields: object) -> Candidate:
    """A candidate with a profile worth showing (skill, experience), consenting to share with the employer."""
    candidate = factories.CandidateFactory.create(
        with_b1_dutch=True,
        with_pending_recognition=True,
        email="amina@example.org",
        phone="+212 600 000 000",
        **fields,
    )
    skill = factories.EscoSkillFactory.create(label_en="weld metal parts")
    CandidateSkill.objects.create(candidate=candidate, skill=skill)
    WorkExperience.objects.create(
        candidate=candidate,
        occupation=vacancy.occupation,
        country="MA",
        started_on=datetime.date(2019, 3, 1),
    )
    if consent:
        factories.ConsentFactory.create(
            candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=vacancy.employer
        )
    return candidate


def recruiter_user(**fields: object) -> User:
    fields.setdefault("organisation", factories.OrganisationFactory.create(pes=True))
    return factories.UserFactory.create(role=User.Role.RECRUITER, is_staff=True, **fields)


def employer_user(organisation: Organisation) -> User:
    return factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=organisation)


def build_web_world() -> WebWorld:
    employer_a = factories.OrganisationFactory.create(employer=True, name="Lasbedrijf A")
    employer_b = factories.OrganisationFactory.create(employer=True, name="Bouwbedrijf B")
    partner = factories.OrganisationFactory.create(name="Partner X")
    cohort = factories.CohortFactory.create(project__code="palim-web", project__name="PALIM", name="Cohort 1")
    vacancy = published_vacancy(employer_a, title="Lasser MIG/MAG")
    other_vacancy = published_vacancy(employer_b, title="Metselaar")
    candidate = matched_candidate(
        vacancy,
        given_name="Amina",
        family_name="Benali",
        registered_by=partner,
        project=cohort.project,
        cohort=cohort,
    )
    near_miss = matched_candidate(
        vacancy, given_name="Youssef", family_name="Alaoui", registered_by=partner, project=cohort.project
    )
    stored_match(vacancy, candidate)
    stored_match(vacancy, near_miss, outcome=Match.Outcome.CONDITIONAL, score="71.20")
    recruiter = recruiter_user(first_name="Lotte", last_name="Recruiter")
    placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=recruiter)
    placement = placement_propose(
        placement=placement, actor=recruiter, expected_version=placement.version, message="Six years of MIG."
    )
    return WebWorld(
        employer_a=employer_a,
        employer_b=employer_b,
        partner=partner,
        vacancy=vacancy,
        other_vacancy=other_vacancy,
        candidate=candidate,
        near_miss=near_miss,
        placement=placement,
        recruiter=recruiter,
        project=cohort.project,
        cohort=cohort,
    )


def verified_client(user: User) -> Client:
    """A client signed in as ``user`` whose session has passed the second factor (as after the TOTP step)."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
