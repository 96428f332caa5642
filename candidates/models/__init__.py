"""Candidate profiles: minimal identity, what permits and matching need, consents and costs."""

from candidates.models.compliance import Consent, RecruitmentCost
from candidates.models.profile import Candidate
from candidates.models.qualifications import (
    CandidateSkill,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    WorkExperience,
)
from candidates.models.training import TrainingEnrolment

__all__ = [
    "Candidate",
    "CandidateSkill",
    "Consent",
    "Diploma",
    "LanguageProficiency",
    "Licence",
    "RecognitionStep",
    "RecruitmentCost",
    "TrainingEnrolment",
    "WorkExperience",
]
