"""Recruitment records: stored matches and their jobs (derived data), placements (human work), and the
projects' weights of the match score."""

from recruitment.models.dashboard import DashboardVisit
from recruitment.models.funnel import RetainedFunnelStep
from recruitment.models.interviews import InterviewMode, InterviewSlot, InterviewSlotStatus
from recruitment.models.matches import (
    OPEN_JOB_STATUSES,
    Match,
    MatchChangeCount,
    MatchFacetKind,
    MatchJob,
    MatchJobKind,
    MatchJobStatus,
    MatchOutcome,
    MatchQuerySet,
    MatchRemoval,
    VacancyMatchCount,
    VacancyMatchFacet,
)
from recruitment.models.notes import NOTE_MAX_LENGTH, CandidateNote
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
    "NOTE_MAX_LENGTH",
    "OPEN_JOB_STATUSES",
    "CandidateNote",
    "DashboardVisit",
    "DecisionReason",
    "EndReason",
    "InterviewMode",
    "InterviewSlot",
    "InterviewSlotStatus",
    "Match",
    "MatchChangeCount",
    "MatchFacetKind",
    "MatchJob",
    "MatchJobKind",
    "MatchJobStatus",
    "MatchOutcome",
    "MatchQuerySet",
    "MatchRemoval",
    "Placement",
    "PlacementQuerySet",
    "PlacementStage",
    "PlacementTransition",
    "ProjectWeights",
    "RetainedFunnelStep",
    "VacancyMatchCount",
    "VacancyMatchFacet",
]
