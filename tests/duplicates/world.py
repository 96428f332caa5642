"""Two records of one person, registered by two agencies, each with rows in (nearly) every table that
points at a candidate: a profile, consents, costs, matches, a case with its moves and a note, an account,
a correction request, views of the profile, a lifted restriction, a funnel step, a retention reminder,
and a consent to share their profile with the other agency.

No unique rule collides between the two unless a test adds the collision itself."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from candidate_space.models import CandidateAccount, CorrectionRequest
from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    LanguageProficiency,
    Licence,
    RecruitmentCost,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.services import candidate_restrict, candidate_restriction_lift, profile_access_record
from core.models import Organisation, User
from privacy.models import RetentionReminder
from projects.models import FunnelStep, TrainingProgramme
from recruitment.models import RetainedFunnelStep
from recruitment.services.notes import candidate_note_add
from recruitment.services.placements import placement_shortlist
from tests import factories
from tests.api.conftest import Partner, make_partner, published_vacancy
from tests.web.world import recruiter_user, stored_match
from vacancies.models import Vacancy


@dataclass
class Twins:
    alpha: Partner
    beta: Partner
    first: Candidate  # Alpha's record
    second: Candidate  # Beta's record of the same person
    recruiter: User
    vacancies: list[Vacancy]


def _record(
    partner: Partner, *, external_id: str, vacancy: Vacancy, recruiter: User, suffix: str, born: datetime.date
) -> Candidate:
    candidate = factories.CandidateFactory.create(
        registered_by=partner.organisation,
        external_id=external_id,
        project=partner.project,
        given_name="Fatima Zahra",
        family_name="El Idrissi",
        date_of_birth=born,
        nationalities=["MA"],
        email=f"fatima{suffix}@example.org",
        phone="+212 612 345 678",
    )
    now = timezone.now()
    language = "nl" if suffix == "1" else "fr"
    LanguageProficiency.objects.create(candidate=candidate, language=language, listening="B1")
    factories.PendingRecognitionDiplomaFactory.create(candidate=candidate)
    WorkExperience.objects.create(
        candidate=candidate,
        occupation=vacancy.occupation,
        country="MA",
        started_on=timezone.localdate() - datetime.timedelta(days=900),
    )
    CandidateSkill.objects.create(candidate=candidate, skill=factories.EscoSkillFactory.create())
    Licence.objects.create(
        candidate=candidate, kind=Licence.Kind.VCA, issuing_country="MA" if suffix == "1" else "TN"
    )
    programme = TrainingProgramme.objects.create(project=partner.project, name=f"Dutch {suffix}")
    TrainingEnrolment.objects.create(candidate=candidate, programme=programme)
    candidate.desired_occupations.add(vacancy.occupation)
    factories.ConsentFactory.create(candidate=candidate, purpose=Consent.Purpose.PROFILE_VISIBILITY)
    factories.ConsentFactory.create(
        candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=vacancy.employer
    )
    RecruitmentCost.objects.create(
        candidate=candidate,
        cost_type=RecruitmentCost.CostType.VISA,
        amount=Decimal("180.00"),
        paid_by=RecruitmentCost.Payer.EMPLOYER,
        incurred_on=timezone.localdate(),
    )
    stored_match(vacancy, candidate)
    case = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=recruiter)
    candidate_note_add(candidate=candidate, author=recruiter, body=f"note {suffix}", placement=case)
    candidate_restrict(candidate=candidate, by=recruiter, reason="asked to pause")
    candidate_restriction_lift(candidate=candidate, by=recruiter)
    user = User.objects.create_user(
        username=f"fatima{suffix}", password="a long password", role=User.Role.CANDIDATE
    )
    CandidateAccount.objects.create(user=user, candidate=candidate, invited_at=now, activated_at=now)
    CorrectionRequest.objects.create(
        candidate=candidate, part=CorrectionRequest.Part.IDENTITY, message="spelling"
    )
    profile_access_record(candidate_ids=[candidate.pk], kind="staff", what="profile", user=recruiter)
    RetainedFunnelStep.objects.create(candidate=candidate, step=FunnelStep.TRAINED, recorded_at=now)
    RetentionReminder.objects.create(candidate=candidate, inactive_since=now, sent_at=now)
    candidate.refresh_from_db()
    return candidate


def build_twins() -> Twins:
    alpha = make_partner("Alphagency")
    beta = make_partner("Betagency", country="TN")
    employer = factories.OrganisationFactory.create(employer=True, name="Lasbedrijf Gent")
    vacancies = [
        published_vacancy(alpha.project, employer=employer, title="Lasser TIG"),
        published_vacancy(beta.project, employer=employer, title="Lasser MIG"),
    ]
    recruiter = recruiter_user()
    born = timezone.localdate() - datetime.timedelta(days=31 * 365 + 40)
    first = _record(
        alpha, external_id="A-1", vacancy=vacancies[0], recruiter=recruiter, suffix="1", born=born
    )
    second = _record(
        beta, external_id="B-7", vacancy=vacancies[1], recruiter=recruiter, suffix="2", born=born
    )
    # Each record's person consented to share their profile with the other agency: a merge across
    # agencies needs it (tests/duplicates/test_merge.py refuses one without it).
    for candidate, other in ((first, beta), (second, alpha)):
        factories.ConsentFactory.create(
            candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_PARTNER, recipient=other.organisation
        )
    return Twins(alpha, beta, first, second, recruiter, vacancies)


def organisation(candidate: Candidate) -> Organisation:
    return Organisation.objects.get(pk=candidate.registered_by_id)
