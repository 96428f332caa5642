"""Recruitment records: stored matches and their jobs (derived data), placements (human work), and the
projects' weights of the match score."""

from recruitment.models.matches import (
    OPEN_JOB_STATUSES,
    Match,
    MatchJob,
    MatchJobKind,
    MatchJobStatus,
    MatchOutcome,
    MatchQuerySet,
)
from recruitment.models.placements import (
    DecisionReason,
    EndReason,
    Placement,
    PlacementQuerySet,
    PlacementStage,
    PlacementTransition,
)
from recruitment.models.weights import ProjectWeights

__all__ = [
    "OPEN_JOB_STATUSES",
    "DecisionReason",
    "EndReason",
    "Match",
    "MatchJob",
    "MatchJobKind",
    "MatchJobStatus",
    "MatchOutcome",
    "MatchQuerySet",
    "Placement",
    "PlacementQuerySet",
    "PlacementStage",
    "PlacementTransition",
    "ProjectWeights",
]
