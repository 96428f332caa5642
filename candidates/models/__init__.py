"""Candidate profiles: minimal identity, what permits and matching need, consents and costs."""

from candidates.models.access import ProfileAccess
from candidates.models.compliance import Consent, RecruitmentCost
from candidates.models.consent_wording import ConsentWording
from candidates.models.profile import Candidate
from candidates.models.qualifications import (
    CandidateSkill,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    WorkExperience,
)
from candidates.models.restriction import CandidateRestriction
from candidates.models.training import TrainingEnrolment

__all__ = [
    "Candidate",
    "CandidateRestriction",
    "CandidateSkill",
    "Consent",
    "ConsentWording",
    "Diploma",
    "LanguageProficiency",
    "Licence",
    "ProfileAccess",
    "RecognitionStep",
    "RecruitmentCost",
    "TrainingEnrolment",
    "WorkExperience",
]
