"""The unsaved shape of a demo candidate, shared by the modules that fill it in."""

import datetime
import random
from dataclasses import dataclass, field
from typing import TypeVar

from candidates.models import (
    Candidate,
    CandidateSkill,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    WorkExperience,
)
from demo.context import OccupationInfo

CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
FRANCOPHONE = ("MA", "TN", "SN")

T = TypeVar("T")


@dataclass(frozen=True)
class Stream:
    """One way candidates reach the platform: a project, its origin countries, its occupations."""

    project_key: str | None
    weight: float
    nationalities: tuple[tuple[str, float], ...]
    families: tuple[tuple[str, float], ...]
    women_share: float
    dutch: tuple[tuple[int | None, float], ...]  # CEFR index of the Dutch base level, None = no Dutch
    partner: str | None = None  # registering partner; None: by nationality (people.PARTNER_BY_NATIONALITY)


@dataclass
class CandidateDraft:
    """One candidate and its children, unsaved; children get their candidate id after the insert."""

    index: int
    stream: Stream
    candidate: Candidate
    partner_id: int
    family: str
    nationality: str
    registered_on: datetime.date
    dutch_level: int | None
    main_occupation: OccupationInfo
    desired_ids: list[int]
    languages: list[LanguageProficiency] = field(default_factory=list)
    diplomas: list[tuple[Diploma, list[RecognitionStep]]] = field(default_factory=list)
    experiences: list[WorkExperience] = field(default_factory=list)
    skills: list[CandidateSkill] = field(default_factory=list)
    licences: list[Licence] = field(default_factory=list)


def weighted(rng: random.Random, options: tuple[tuple[T, float], ...]) -> T:
    """One of ``(option, weight)`` pairs, drawn in proportion to the weights."""
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))
