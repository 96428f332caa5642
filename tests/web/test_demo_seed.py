"""The demo after ``seed_demo``: cases at many stages, so that every demo login has work to do.

A small scale with enough matches for every case (the 12-candidate scale of test_demo_logins.py has too
few: there the seed makes what it can, which that file's fixture proves does not crash).
"""

import datetime
import itertools
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from candidates.models import Candidate, Consent
from core.models import Organisation, User
from demo.cases import login_employer_ids
from demo.employers import DEMO_PASSWORD
from projects.models import FunnelStep, FunnelTarget
from recruitment.models import CandidateNote, InterviewSlot, Placement, PlacementTransition

pytestmark = pytest.mark.django_db

SCALE = {"candidates": 80, "vacancies": 12, "employers": 2, "seed": 7}


def _seed(**extra: object) -> None:
    call_command("seed_demo", verbosity=0, **SCALE, **extra)


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/en/account/sign-in/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def _snapshot() -> dict[str, object]:
    return {
        "placements": Placement.objects.count(),
        "moves": PlacementTransition.objects.count(),
        "consents": Consent.objects.count(),
        "notes": CandidateNote.objects.count(),
        "slots": InterviewSlot.objects.count(),
        "targets": FunnelTarget.objects.count(),
        "stages": sorted(Counter(Placement.objects.values_list("stage", flat=True)).items()),
    }


@pytest.fixture
def demo() -> None:
    _seed()


def test_the_demo_has_cases_at_many_stages_with_a_real_history(demo: None) -> None:
    employer, employer2 = login_employer_ids()
    stages = set(Placement.objects.values_list("stage", flat=True))
    assert {
        "shortlisted",
        "proposed",
        "employer_interested",
        "employer_declined",
        "interview",
        "offer",
        "offer_accepted",
        "recognition",
        "permit_filed",
        "permit_granted",
        "arrived",
        "started",
        "employed_6m",
        "ended",
    } <= stages
    today = timezone.localdate()
    awaiting = Placement.objects.filter(vacancy__employer_id=employer, stage="proposed")
    assert awaiting.filter(response_due_on__gte=today).exists()
    assert Placement.objects.overdue(today).filter(vacancy__employer_id=employer).exists()
    assert Placement.objects.filter(vacancy__employer_id=employer2).exists()
    # The permit pending longest has waited for months, not since the seed ran.
    oldest_permit = Placement.objects.filter(stage="permit_filed").order_by("stage_changed_at").first()
    assert oldest_permit is not None
    assert oldest_permit.stage_changed_at < timezone.now() - datetime.timedelta(days=100)
    # Each case's log is in order and ends where the case stands.
    for placement in Placement.objects.all():
        moves = list(placement.transitions.order_by("at", "pk"))
        assert moves[0].to_stage == "shortlisted"
        assert moves[-1].to_stage == placement.stage and moves[-1].at == placement.stage_changed_at
        assert all(a.to_stage == b.from_stage for a, b in itertools.pairwise(moves))
    # A regulated occupation went through recognition before its permit.
    recognition = Placement.objects.get(stage="recognition")
    assert recognition.vacancy.occupation.is_regulated
    # Every proposed case's candidate consented to share with that employer.
    for placement in Placement.objects.exclude(proposed_at=None).select_related("vacancy"):
        assert Consent.objects.filter(
            candidate_id=placement.candidate_id,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
            recipient_id=placement.vacancy.employer_id,
        ).exists()
    declined = Placement.objects.get(stage="employer_declined")
    assert declined.reason and declined.comment
    assert CandidateNote.objects.exists()
    interview = Placement.objects.get(stage="interview")
    assert interview.interview_slots.filter(status="proposed", starts_at__gt=timezone.now()).count() == 2
    palim = FunnelTarget.objects.get(project__code="palim", cohort=None, step=FunnelStep.TRAINED)
    assert palim.count == 120
    assert FunnelTarget.objects.filter(cohort__isnull=False).exists()


def test_the_employer_login_finds_the_proposals_awaiting_its_answer(demo: None) -> None:
    employer_id = login_employer_ids()[0]
    client = _signed_in("employer")
    awaiting = list(Placement.objects.filter(vacancy__employer_id=employer_id, stage="proposed"))
    assert awaiting
    for language in ("nl", "fr", "en"):
        vacancies = client.get(f"/{language}/employer/vacancies/")
        assert vacancies.status_code == 200
        for placement in awaiting:
            vacancy_url = f"/{language}/employer/vacancies/{placement.vacancy.public_id}/"
            assert vacancy_url in vacancies.content.decode()
            detail = client.get(vacancy_url)
            assert detail.status_code == 200
            proposal_url = f"/{language}/employer/proposals/{placement.public_id}/"
            assert proposal_url in detail.content.decode()
            proposal = client.get(proposal_url)
            assert proposal.status_code == 200
            # The decision form: the employer can answer.
            assert f"/{language}/employer/proposals/{placement.public_id}/move/" in proposal.content.decode()


def test_the_partner_login_sees_its_own_candidates_only(demo: None) -> None:
    partner = User.objects.get(username="partner")
    client = _signed_in("partner")
    own = Candidate.objects.filter(registered_by=partner.organisation_id)
    assert own.exists()
    html = client.get("/en/partner/candidates/?page=1").content.decode()
    shown = {str(pk) for pk in Candidate.objects.values_list("public_id", flat=True) if str(pk) in html}
    assert shown and shown <= {str(pk) for pk in own.values_list("public_id", flat=True)}
    case = Placement.objects.filter(candidate__registered_by=partner.organisation_id).first()
    if case is not None:
        assert client.get(f"/en/partner/candidates/{case.candidate.public_id}/").status_code == 200
    other = Candidate.objects.exclude(registered_by=partner.organisation_id).first()
    assert other is not None
    assert client.get(f"/en/partner/candidates/{other.public_id}/").status_code == 404
    assert partner.organisation is not None
    assert partner.organisation.kind != Organisation.Kind.EMPLOYER


def test_seeding_again_writes_nothing_and_a_reset_gives_the_same_cases(demo: None) -> None:
    before = _snapshot()
    _seed()
    assert _snapshot() == before
    _seed(reset=True)
    after = _snapshot()
    # The reset removes the demo's own rows; funnel targets belong to the reference projects and stay.
    assert after["stages"] == before["stages"] and after["placements"] == before["placements"]
    assert after["targets"] == before["targets"]
