"""Helpers for the candidate's space in tests: a candidate's account and signed-in client, and the
placeholders of the authorisation matrix's /me/ and /corrections/ rows."""

from django.test import Client
from django.utils import timezone

from candidate_space.models import CandidateAccount, CorrectionRequest
from candidates.models import Candidate
from core.models import User
from tests import factories
from tests.web.world import WebWorld

PASSWORD = "a long and unusual passphrase 42"


def candidate_user(candidate: Candidate) -> User:
    """The candidate's user (role candidate, no organisation) with an account, created once."""
    account = CandidateAccount.objects.filter(candidate=candidate).select_related("user").first()
    if account is not None:
        return account.user
    user = User.objects.create_user(
        username=candidate.email or f"candidate-{candidate.pk}@example.org",
        email=candidate.email,
        password=PASSWORD,
        role=User.Role.CANDIDATE,
        organisation=None,
        first_name=candidate.given_name,
        last_name=candidate.family_name,
    )
    now = timezone.now()
    CandidateAccount.objects.create(user=user, candidate=candidate, invited_at=now, activated_at=now)
    return user


def candidate_client(candidate: Candidate) -> Client:
    client = Client()
    client.force_login(candidate_user(candidate))
    return client


def other_candidate(**fields: object) -> Candidate:
    """Another person, registered by another agency: candidate B of the authorisation matrix."""
    fields.setdefault("given_name", "Bilal")
    fields.setdefault("email", "bilal@example.org")
    return factories.CandidateFactory.create(**fields)


def correction_of(candidate: Candidate) -> CorrectionRequest:
    """An open correction request of ``candidate`` (created once)."""
    found = CorrectionRequest.objects.filter(candidate=candidate).order_by("pk").first()
    return found or CorrectionRequest.objects.create(
        candidate=candidate, part=CorrectionRequest.Part.LANGUAGES, message="My Dutch is B2 now."
    )


def candidate_space_placeholders(world: WebWorld) -> dict[str, str]:
    """The matrix's placeholders for the candidate's space: ``{correction}`` is a request of the world's
    candidate (candidate A, whose case is ``{placement}``)."""
    return {"correction": str(correction_of(world.candidate).public_id)}
