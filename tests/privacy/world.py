"""A candidate who touched every feature of the product, for the erasure and "no personal data in logs"
tests: registered through the partner API (with an idempotency key), a profile with everything, consents,
matches, two cases (one past the permit application, one declined) with notes, an interview and webhook
deliveries to a partner's endpoint, an account in their space, a correction request, a page read, views
of their profile, an admin log entry, a retention reminder.

Their name, e-mail, phone and date of birth are unique to this world (the date computed when it is
built), so a search of the whole database finds exactly what is left of them.
"""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from candidate_space.models import CandidateAccount, CorrectionRequest
from candidates.models import (
    Candidate,
    CandidateSkill,
    Licence,
    RecruitmentCost,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.services.access_log import profile_access_record
from core.models import Organisation, User
from privacy.models import RetentionReminder
from projects.models import TrainingProgramme
from recruitment.models import InterviewSlot, Placement
from recruitment.services.notes import candidate_note_add
from recruitment.services.placements import placement_move, placement_propose, placement_shortlist
from tests import factories
from tests.api.conftest import Partner, make_partner, published_vacancy
from tests.web.world import recruiter_user, stored_match
from tests.webhooks.receiver import Receiver
from vacancies.models import Vacancy
from webhooks.events import EventType
from webhooks.services import subscription_create

CANDIDATES_URL = "/api/v1/candidates/"
OnCommit = Callable[..., AbstractContextManager[Any]]


@dataclass(frozen=True)
class Person:
    """Who the candidate is: values found nowhere else in the database."""

    given_name: str
    family_name: str
    email: str
    phone: str
    date_of_birth: datetime.date
    external_id: str

    @property
    def texts(self) -> list[str]:
        """What a search of text must not find once they are erased."""
        return [self.given_name, self.family_name, self.email, self.phone, self.date_of_birth.isoformat()]


def new_person(suffix: str = "") -> Person:
    # Computed at run time: 34 years and some days before today, a day no other row of the tests holds.
    born = timezone.localdate() - datetime.timedelta(days=34 * 365 + 83)
    return Person(
        given_name=f"Nkechiwunmi{suffix}",
        family_name=f"Abernathy-Oyelaran{suffix}",
        email=f"nkechi.oyelaran{suffix}@example.org",
        phone=f"+234 803 555 71{len(suffix):02d}",
        date_of_birth=born,
        external_id=f"PRIV-0042{suffix}",
    )


def api_body(person: Person, *, project: str, employers: list[Organisation]) -> dict[str, Any]:
    granted = (timezone.now() - datetime.timedelta(days=30)).isoformat()
    consents: list[dict[str, Any]] = [
        {"purpose": "profile_visibility", "text_version": "2026-01", "granted_at": granted}
    ]
    consents += [
        {
            "purpose": "share_with_employer",
            "text_version": "2026-01",
            "granted_at": granted,
            "recipient": e.pk,
        }
        for e in employers
    ]
    return {
        "external_id": person.external_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "email": person.email,
        "phone": person.phone,
        "date_of_birth": person.date_of_birth.isoformat(),
        "nationalities": ["NG"],
        "country_of_residence": "NG",
        "preferred_language": "en",
        "project": project,
        "languages": [
            {
                "language": "nl",
                "listening": "B1",
                "reading": "B1",
                "spoken_interaction": "B1",
                "spoken_production": "B1",
                "writing": "A2",
                "evidence": "training_certificate",
                "certificate": f"CNaVT B1 of {person.given_name} {person.family_name}",
            }
        ],
        "diplomas": [
            {
                "title": "Diploma in welding",
                "institution": "Federal Technical College",
                "country": "NG",
                "isced_level": 4,
                "recognition_steps": [
                    {
                        "authority": "naric_vl",
                        "outcome": "requested",
                        "requested_on": (timezone.localdate() - datetime.timedelta(days=60)).isoformat(),
                        "reference": f"NARIC/{person.family_name}",
                    }
                ],
            }
        ],
        "consents": consents,
    }


@dataclass
class Touched:
    person: Person
    candidate: Candidate
    partner: Partner
    recruiter: User
    officer: User  # staff holding privacy.change_erasurerequest (a superuser)
    account_user: User
    held_case: Placement  # went to the permit application: kept without identity
    declined_case: Placement  # declined by the employer: deleted
    vacancies: list[Vacancy]


def _case(vacancy: Vacancy, candidate: Candidate, actor: User, person: Person, *moves: str) -> Placement:
    placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=actor)
    placement = placement_propose(
        placement=placement,
        actor=actor,
        expected_version=placement.version,
        message=f"{person.given_name} is a strong welder, call {person.phone}",
    )
    for stage in moves:
        closing = stage in ("employer_declined", "ended", "withdrawn")
        placement = placement_move(
            placement=placement,
            to_stage=stage,
            actor=actor,
            expected_version=placement.version,
            reason="language" if closing else "",
            comment=f"spoke with {person.given_name} {person.family_name}" if closing else "",
        )
    return placement


def _welcome_page_read(candidate: Candidate, author: User) -> None:
    """A read receipt of the information pages (the welcome app), written through its models."""
    from welcome.models import InformationPage, PageVersion, ReadReceipt, StageGroup

    now = timezone.now()
    page = InformationPage.objects.create(topic="privacy-test-housing", stage_group=StageGroup.values[0])
    version = PageVersion.objects.create(
        page=page,
        language="en",
        number=1,
        title="Housing",
        body="Where to find a home.",
        status="published",
        created_at=now,
        created_by=author,
        published_at=now,
        published_by=author,
    )
    ReadReceipt.objects.create(candidate=candidate, page=page, version=version, read_at=now)


def touch_everything(receiver: Receiver, on_commit: OnCommit, person: Person | None = None) -> Touched:
    """Build the world; ``on_commit`` is pytest-django's ``django_capture_on_commit_callbacks`` (the
    recomputes and webhook deliveries run as they would after each commit)."""
    person = person or new_person()
    partner = make_partner("Privagency")
    employer_a = factories.OrganisationFactory.create(employer=True, name="Lasbedrijf Aalst")
    employer_b = factories.OrganisationFactory.create(employer=True, name="Metaal Brugge")
    vacancies = [
        published_vacancy(partner.project, employer=employer_a, title="Lasser TIG"),
        published_vacancy(partner.project, employer=employer_b, title="Lasser MIG"),
    ]
    receiver.secrets.append(
        subscription_create(
            organisation=partner.organisation, url=f"{receiver.url}/hooks", event_types=list(EventType.values)
        )[1]
    )
    api = partner.client()
    with on_commit(execute=True):
        created = api.post(
            CANDIDATES_URL,
            api_body(person, project=partner.project.code, employers=[employer_a, employer_b]),
            format="json",
            HTTP_IDEMPOTENCY_KEY="privacy-world-1",
        )
    assert created.status_code == 201, created.content
    candidate = Candidate.objects.get(public_id=created.json()["id"])
    recruiter = recruiter_user()
    officer = recruiter_user(is_superuser=True)
    with on_commit(execute=True):
        WorkExperience.objects.create(
            candidate=candidate,
            occupation=vacancies[0].occupation,
            employer_name=f"{person.family_name} Metalworks",
            country="NG",
            started_on=timezone.localdate() - datetime.timedelta(days=2000),
        )
        CandidateSkill.objects.create(candidate=candidate, skill=factories.EscoSkillFactory.create())
        Licence.objects.create(
            candidate=candidate, kind=Licence.Kind.VCA, issuing_country="NG", note=person.phone
        )
        programme = TrainingProgramme.objects.create(project=partner.project, name="Dutch for welders")
        TrainingEnrolment.objects.create(
            candidate=candidate,
            programme=programme,
            status=TrainingEnrolment.Status.COMPLETED,
            completed_on=timezone.localdate() - datetime.timedelta(days=10),
        )
        RecruitmentCost.objects.create(
            candidate=candidate,
            cost_type=RecruitmentCost.CostType.VISA,
            amount=Decimal("180.00"),
            paid_by=RecruitmentCost.Payer.EMPLOYER,
            incurred_on=timezone.localdate() - datetime.timedelta(days=5),
            evidence=f"receipt for {person.given_name} {person.family_name}",
        )
        candidate.desired_occupations.add(vacancies[0].occupation)
        for vacancy in vacancies:
            stored_match(vacancy, candidate)
        held = _case(
            vacancies[0],
            candidate,
            recruiter,
            person,
            "employer_interested",
            "interview",
            "offer",
            "offer_accepted",
            "permit_filed",
        )
        declined = _case(vacancies[1], candidate, recruiter, person, "employer_declined")
        candidate_note_add(
            candidate=candidate, author=recruiter, body=f"{person.given_name} phoned from {person.phone}"
        )
        candidate_note_add(
            candidate=candidate,
            author=recruiter,
            body=f"Born {person.date_of_birth:%d/%m/%Y}",
            placement=held,
        )
        InterviewSlot.objects.create(
            placement=held,
            starts_at=timezone.now() + datetime.timedelta(days=3),
            location=f"video call, ask for {person.given_name}",
            proposed_by=recruiter,
        )
    account_user = User.objects.create_user(
        username=person.email,
        email=person.email,
        first_name=person.given_name,
        last_name=person.family_name,
        password="a long candidate password",
        role=User.Role.CANDIDATE,
    )
    CandidateAccount.objects.create(
        user=account_user, candidate=candidate, invited_at=timezone.now(), activated_at=timezone.now()
    )
    CorrectionRequest.objects.create(
        candidate=candidate,
        part=CorrectionRequest.Part.IDENTITY,
        message=f"My name is spelled {person.given_name}, my phone is {person.phone}",
    )
    _welcome_page_read(candidate, recruiter)
    profile_access_record(candidate_ids=[candidate.pk], kind="staff", what="profile", user=recruiter)
    LogEntry.objects.create(
        user=recruiter,
        content_type=ContentType.objects.get_for_model(Candidate),
        object_id=str(candidate.pk),
        object_repr=str(candidate),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Phone"]}}]',
    )
    RetentionReminder.objects.create(
        candidate=candidate, inactive_since=timezone.now(), sent_at=timezone.now()
    )
    # The candidate signs in and opens their data page (a session row, an access through their space).
    client = Client()
    client.force_login(account_user)
    assert client.get("/en/me/data/").status_code == 200
    candidate.refresh_from_db()
    return Touched(
        person=person,
        candidate=candidate,
        partner=partner,
        recruiter=recruiter,
        officer=officer,
        account_user=account_user,
        held_case=held,
        declined_case=declined,
        vacancies=vacancies,
    )
