"""A small world for the browser application's tests: two employers, a published vacancy of the first
with an explained eligible match and a near-miss, a case proposed to it, and signed-in clients.

The vacancy is a Flemish welder's job on the migration list (``tests.recruitment.world``'s reference
data) and its matches are stored by the real recompute, so the pages show the explanations the scalar
core rebuilds from the same facts. ``stored_match`` writes a compact row by hand, for list tests that
need a given score.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from candidates.models import Candidate, CandidateSkill, Consent, LanguageProficiency, WorkExperience
from candidates.services import candidate_profile_changed
from core.models import Organisation, User
from projects.models import Cohort, Project
from recruitment.matching.codes import REASON_BIT
from recruitment.models import Match, MatchChangeCount, MatchJob, Placement
from recruitment.services import job_create, vacancy_matches_recompute
from recruitment.services.match_facets import candidate_facets_add
from recruitment.services.placements import placement_propose, placement_shortlist
from recruitment.services.upsert import match_counts_recount
from tests import factories
from tests.recruitment.world import build_world
from tests.recruitment.world import welder_vacancy as matching_welder_vacancy
from vacancies.models import Vacancy


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


FAILING_EXPLANATIONS_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "explanations": {
        # A cache that cannot answer (a Redis nobody listens on): every read and write of the kept
        # explanations (recruitment.kept_explanations) fails.
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    },
}
"""``override_settings(CACHES=...)`` for a test that the kept explanations cost speed, never the page."""

EXPLANATION_QUERIES = 20
"""What rebuilding the explanations of the rows a page shows costs, whatever their number: the reference
facts of the day (5 queries), the vacancies' facts (4) and the candidates' (11)."""


def published_vacancy(employer: Organisation, **fields: object) -> Vacancy:
    return factories.VacancyFactory.create(
        employer=employer,
        status=Vacancy.Status.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )


def recompute(vacancy: Vacancy) -> None:
    """Store the vacancy's matches as the worker would (tests run inside a transaction, so the job the
    write paths queue after commit never runs by itself)."""
    job = job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk)


def stored_match(
    vacancy: Vacancy, candidate: Candidate, *, outcome: str = "eligible", score: str = "86.60"
) -> Match:
    match = Match.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        outcome=outcome,
        score=Decimal(score),
        reason_bits=REASON_BIT["language.below_minimum"] if outcome == Match.Outcome.CONDITIONAL else 0,
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=timezone.now(),
    )
    # What a recompute keeps beside its rows: the vacancy page's filter values and the vacancy's counts.
    candidate_facets_add(candidate_id=candidate.pk)
    match_counts_recount(vacancy.pk)
    return match


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
    reference = build_world()  # the crosswalk, a migration list with welders, thresholds
    employer_a = factories.OrganisationFactory.create(employer=True, name="Lasbedrijf A")
    employer_b = factories.OrganisationFactory.create(employer=True, name="Bouwbedrijf B")
    partner = factories.OrganisationFactory.create(name="Partner X")
    cohort = factories.CohortFactory.create(project__code="palim-web", project__name="PALIM", name="Cohort 1")
    vacancy = matching_welder_vacancy(replace(reference, employer=employer_a), title="Lasser MIG/MAG")
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
    # One level short in Dutch listening and speaking: a closable gap, a near-miss.
    LanguageProficiency.objects.filter(candidate=near_miss).update(listening="A2", spoken_interaction="A2")
    candidate_profile_changed(near_miss.pk)
    recompute(vacancy)
    assert set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", "outcome")) == {
        (candidate.pk, Match.Outcome.ELIGIBLE),
        (near_miss.pk, Match.Outcome.CONDITIONAL),
    }, "the web world's matches are not what its tests expect"
    # Computed a month ago: nothing is news on a recruiter's dashboard until a test says so.
    month_ago = timezone.now() - datetime.timedelta(days=30)
    Match.objects.filter(vacancy=vacancy).update(computed_at=month_ago, changed_at=month_ago)
    MatchChangeCount.objects.filter(vacancy=vacancy).update(hour=month_ago, latest=month_ago)
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
