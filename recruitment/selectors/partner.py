"""Reads for a partner agency's pages: the candidates it registered, and where their cases stand.

A partner sees what its API shows (``api/serializers/placements.py``, ``candidates.selectors``): its own
candidates while they are active or placed, and of each case the vacancy's title, the stage, the dates
and the reason codes: never who made a move, a recruiter's note or an employer's comment. Another
organisation's candidate is not found, exactly like one that does not exist.
"""

import uuid

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from candidates.models import Candidate
from candidates.models.profile import CandidateQuerySet
from candidates.selectors import PARTNER_VISIBLE_STATUSES
from projects.models import Project
from recruitment.models import Placement, PlacementTransition

# The columns of a case a partner page reads: nothing else is loaded (no comment, no proposal message).
CASE_FIELDS = (
    "public_id",
    "candidate_id",
    "vacancy_id",
    "vacancy__title",
    "stage",
    "stage_changed_at",
    "reason",
)


def _cases() -> QuerySet[Placement]:
    return Placement.objects.select_related("vacancy").only(*CASE_FIELDS).order_by("-stage_changed_at", "pk")


def partner_candidates(
    *, organisation_id: int, stage: str | None = None, project_id: int | None = None
) -> CandidateQuerySet:
    """The organisation's visible candidates by name, each with its cases (``cases``, newest first).

    ``stage``: only candidates with a case at that stage; ``project_id``: only that project's.
    """
    candidates = Candidate.objects.filter(
        registered_by_id=organisation_id, status__in=PARTNER_VISIBLE_STATUSES
    )
    if stage:
        candidates = candidates.filter(
            Exists(Placement.objects.filter(candidate=OuterRef("pk"), stage=stage))
        )
    if project_id is not None:
        candidates = candidates.filter(project_id=project_id)
    return (
        candidates.select_related("project", "cohort")
        .prefetch_related(Prefetch("placements", queryset=_cases(), to_attr="cases"))
        .order_by("family_name", "given_name", "pk")
    )


def partner_candidate(*, organisation_id: int, public_id: uuid.UUID) -> Candidate | None:
    """One of the organisation's visible candidates with its cases and their moves, or None."""
    moves = PlacementTransition.objects.only(
        "placement_id", "from_stage", "to_stage", "at", "reason"
    ).order_by("at", "pk")
    return (
        Candidate.objects.filter(
            registered_by_id=organisation_id, status__in=PARTNER_VISIBLE_STATUSES, public_id=public_id
        )
        .select_related("project", "cohort")
        .prefetch_related(
            "desired_occupations",
            Prefetch(
                "placements",
                queryset=_cases().prefetch_related(Prefetch("transitions", queryset=moves)),
                to_attr="cases",
            ),
        )
        .first()
    )


def partner_candidate_projects(*, organisation_id: int) -> list[Project]:
    """The projects of the organisation's visible candidates (the options of the project filter)."""
    # EXISTS per project (a handful) rather than DISTINCT over the partner's tens of thousands of
    # candidates: each answer is one probe of the index ``candidate_partner_project``.
    visible = Candidate.objects.filter(
        project=OuterRef("pk"), registered_by_id=organisation_id, status__in=PARTNER_VISIBLE_STATUSES
    )
    return list(Project.objects.filter(Exists(visible)).order_by("name"))
