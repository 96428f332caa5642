"""Reads of candidate profiles. Selectors never write.

A partner organisation sees the candidates it registered, as long as they are active or placed:
a withdrawn candidate is hidden at once (also from the partner that registered them), an anonymised one
is gone for everyone.
"""

import datetime
import uuid

from django.db.models import Prefetch

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.models.profile import CandidateQuerySet
from core.models import Organisation

PARTNER_VISIBLE_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)


def with_profile(candidates: CandidateQuerySet) -> CandidateQuerySet:
    """Everything a full profile shows, in a fixed number of queries whatever the number of candidates."""
    return candidates.select_related("project", "cohort").prefetch_related(
        "desired_occupations",
        "languages",
        Prefetch("diplomas", queryset=Diploma.objects.order_by("pk").prefetch_related("recognition_steps")),
        Prefetch("experiences", queryset=WorkExperience.objects.select_related("occupation")),
        Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill").order_by("pk")),
        "licences",
        Prefetch("enrolments", queryset=TrainingEnrolment.objects.select_related("programme").order_by("pk")),
        Prefetch(
            "consents", queryset=Consent.objects.select_related("recipient").order_by("-granted_at", "-pk")
        ),
    )


def candidates_for_partner(
    *,
    organisation: Organisation,
    external_id: str | None = None,
    status: str | None = None,
    project_code: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> CandidateQuerySet:
    """The candidates ``organisation`` registered and may still see, oldest first (a stable order for
    paging), with their full profile."""
    candidates = Candidate.objects.registered_by(organisation).filter(status__in=PARTNER_VISIBLE_STATUSES)
    if external_id is not None:
        candidates = candidates.filter(external_id=external_id)
    if status is not None:
        candidates = candidates.filter(status=status)
    if project_code is not None:
        candidates = candidates.filter(project__code=project_code)
    if updated_since is not None:
        candidates = candidates.filter(updated_at__gte=updated_since)
    return with_profile(candidates.order_by("created_at", "pk"))


def candidate_for_partner(*, organisation: Organisation, public_id: uuid.UUID) -> Candidate | None:
    """One of ``organisation``'s visible candidates, or None (another's, withdrawn, or no such id)."""
    return candidates_for_partner(organisation=organisation).filter(public_id=public_id).first()
