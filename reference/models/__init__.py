"""Reference data: the occupation taxonomy (ISCO-08, ESCO) and the dated permit facts of Flanders."""

from reference.models.lists import SalaryThreshold, ShortageList, ShortageListEntry, ShortageListOccupation
from reference.models.qualifications import QualificationLevelEquivalence
from reference.models.taxonomy import (
    EscoImport,
    EscoOccupation,
    EscoSkill,
    IscoGroup,
    OccupationSkillRelation,
)

__all__ = [
    "EscoImport",
    "EscoOccupation",
    "EscoSkill",
    "IscoGroup",
    "OccupationSkillRelation",
    "QualificationLevelEquivalence",
    "SalaryThreshold",
    "ShortageList",
    "ShortageListEntry",
    "ShortageListOccupation",
]
