"""Reads for the candidate's own space. Selectors never write.

Everything here starts from ``candidate_for_user``: a candidate sees their own data and nothing else, so
every other read takes the candidate it found, never an id from the request alone.
"""

import datetime
import uuid

from django.db.models import Case, QuerySet, When
from django.utils import timezone

from candidate_space.models import CandidateInvitation, CorrectionRequest, invitation_token_digest
from candidates.models import (
    Candidate,
    Consent,
)
from candidates.models.profile import CandidateQuerySet
from candidates.selectors import PARTNER_VISIBLE_STATUSES, ProfileSections, profile_sections
from core.models import User
from recruitment.models import InterviewSlot, Placement
from recruitment.selectors import is_staff_user

# A token is 43 characters (32 random bytes, URL-safe base64); anything much longer is not ours.
TOKEN_MAX_LENGTH = 100


def candidate_for_user(*, user: User) -> Candidate | None:
    """The candidate ``user`` is, when they are a signed-in candidate with an active account whose record
    still exists (an anonymised candidate is no one any more); otherwise None. One query.

    A withdrawn or restricted candidate keeps access: their data rights outlive the recruitment.
    """
    if not user.is_authenticated or not user.is_active or user.role != User.Role.CANDIDATE:
        return None
    return (
        Candidate.objects.select_related("registered_by", "project")
        .filter(account__user=user)
        .exclude(status=Candidate.Status.ANONYMISED)
        .first()
    )


def invitation_for_token(*, token: str, now: datetime.datetime | None = None) -> CandidateInvitation | None:
    """The usable invitation a link's token opens (``CandidateInvitation.objects.usable``), or None for
    a token that is unknown, spent, superseded or expired: the page says the same for all of them."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return invitation_for_digest(digest=invitation_token_digest(token), now=now)


def invitation_for_digest(*, digest: str, now: datetime.datetime | None = None) -> CandidateInvitation | None:
    """As ``invitation_for_token``, from the digest kept in the session between the link and the form.
    A link sent to an address the candidate's record no longer holds is no longer usable either."""
    invitation = (
        CandidateInvitation.objects.usable(now or timezone.now())
        .select_related("candidate")
        .filter(token_hash=digest)
        .first()
    )
    return invitation if invitation is not None and invitation.addressed_to_current() else None


# --- The candidate's profile as recorded -------------------------------------------------------------


# The candidate's own profile page shows the sections staff see, without who verified a skill.
RecordedProfile = ProfileSections


def recorded_profile(*, candidate: Candidate) -> RecordedProfile:
    """The candidate's own profile sections (eight queries whatever their size)."""
    return profile_sections(candidate, with_verifier=False)


def correction_requests_of(*, candidate: Candidate) -> QuerySet[CorrectionRequest]:
    """The candidate's correction requests, newest first (who handled one is not shown to them)."""
    return CorrectionRequest.objects.filter(candidate=candidate).order_by("-created_at", "-pk")


# --- Consents ----------------------------------------------------------------------------------------


def consents_of(*, candidate: Candidate) -> list[Consent]:
    """Every consent the candidate gave, in force or not, newest first, with its recipient."""
    return list(
        Consent.objects.filter(candidate=candidate).select_related("recipient").order_by("-granted_at", "-pk")
    )


def consent_of(*, candidate: Candidate, consent_id: int) -> Consent | None:
    """One of the candidate's consents, or None (another candidate's, or no such id)."""
    return Consent.objects.filter(candidate=candidate, pk=consent_id).select_related("recipient").first()


# --- Cases -------------------------------------------------------------------------------------------

# The columns of a case the candidate's pages read: never the recruiter's message to the employer, the
# employer's comment or the reason code (quality.md section 4; issue 14: "without recruiters' notes or
# employers' comments").
CASE_FIELDS = (
    "id",
    "public_id",
    "candidate_id",
    "stage",
    "stage_changed_at",
    "proposed_at",
    "identity_revealed_at",
    "created_at",
    "vacancy__id",
    "vacancy__title",
    "vacancy__region",
    "vacancy__start_date",
    "vacancy__employer__id",
    "vacancy__employer__name",
    "vacancy__occupation__id",
    "vacancy__occupation__label_en",
    "vacancy__occupation__label_nl",
    "vacancy__occupation__label_fr",
    "vacancy__occupation__alt_labels_nl",
    "vacancy__occupation__alt_labels_fr",
)


def cases_of(*, candidate: Candidate) -> QuerySet[Placement]:
    """The vacancies the candidate was proposed for, most recently moved first, with only the columns
    their pages may show. A recruiter's shortlist is internal work: a case shows once it was proposed
    (a case withdrawn from the shortlist before that never shows)."""
    return (
        Placement.objects.filter(candidate=candidate, proposed_at__isnull=False)
        .select_related("vacancy", "vacancy__employer", "vacancy__occupation")
        .only(*CASE_FIELDS)
        .order_by("-stage_changed_at", "-pk")
    )


def case_of(*, candidate: Candidate, public_id: uuid.UUID) -> Placement | None:
    """One of the candidate's cases, or None (another candidate's, or no such id)."""
    return cases_of(candidate=candidate).filter(public_id=public_id).first()


def interview_slots_of(*, placement: Placement) -> list[InterviewSlot]:
    """The case's interview dates still on the table (proposed or confirmed), earliest first."""
    return list(
        InterviewSlot.objects.filter(
            placement=placement,
            status__in=[InterviewSlot.Status.PROPOSED, InterviewSlot.Status.ACCEPTED],
        )
        .only("public_id", "placement_id", "starts_at", "duration_minutes", "mode", "location", "status")
        .order_by("starts_at", "pk")
    )


def revealed_employer_ids(*, candidate: Candidate) -> set[int]:
    """Employers that may be named to the candidate: one of their cases with it reached the stage where
    the employer learns who the candidate is (``Placement.identity_revealed_at``)."""
    return set(
        Placement.objects.filter(candidate=candidate, identity_revealed_at__isnull=False).values_list(
            "vacancy__employer_id", flat=True
        )
    )


# --- Inviting, and handling correction requests (partner agencies and staff) -----------------------


def _is_partner_user(user: User) -> bool:
    return user.role == User.Role.PARTNER_USER and user.organisation_id is not None


def may_act_for_candidates(user: User) -> bool:
    """Staff of the public employment service, or a partner agency's user: the roles that invite
    candidates and handle their correction requests (each within their own scope)."""
    return is_staff_user(user) or _is_partner_user(user)


def candidates_in_care_of(*, user: User) -> CandidateQuerySet:
    """The candidates ``user`` looks after: staff, every candidate still on the platform (not
    anonymised); a partner user, those their organisation registered and still sees; anyone else, none."""
    if is_staff_user(user):
        return Candidate.objects.exclude(status=Candidate.Status.ANONYMISED)
    if _is_partner_user(user):
        return Candidate.objects.filter(
            registered_by_id=user.organisation_id, status__in=PARTNER_VISIBLE_STATUSES
        )
    return Candidate.objects.none()


def candidate_in_care_of(*, user: User, public_id: uuid.UUID) -> Candidate | None:
    """One of ``candidates_in_care_of``, or None (another organisation's, or no such id)."""
    return candidates_in_care_of(user=user).filter(public_id=public_id).first()


def correction_requests_for(*, user: User, status: str | None = None) -> QuerySet[CorrectionRequest]:
    """Correction requests of the candidates ``user`` looks after (``candidates_in_care_of``), open
    first and oldest first (the queue), with the candidate and its registering organisation."""
    requests = CorrectionRequest.objects.filter(
        candidate__in=candidates_in_care_of(user=user).values("pk")
    ).select_related("candidate", "candidate__registered_by")
    if status:
        requests = requests.filter(status=status)
    open_first = Case(When(status=CorrectionRequest.Status.OPEN, then=0), default=1)
    return requests.order_by(open_first, "created_at", "pk")


def correction_request_for(*, user: User, public_id: uuid.UUID) -> CorrectionRequest | None:
    """One of ``correction_requests_for``, or None (another organisation's candidate, or no such id)."""
    return correction_requests_for(user=user).filter(public_id=public_id).first()
