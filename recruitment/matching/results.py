"""What the matching core returns: an outcome with reasons, the permit routes, a score with its breakdown.

Reasons are codes with the values compared, never sentences: the screens turn them into Dutch, French
and English sentences (docs/matching.md lists every code), and auditors can read them as data.
"""

from dataclasses import dataclass
from enum import StrEnum

Param = str | int | float | bool | None


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    CONDITIONAL = "conditional"  # every failed condition is closable; the reasons say what closes it
    INELIGIBLE = "ineligible"


class Route(StrEnum):
    HIGHLY_SKILLED = "highly_skilled"
    EU_BLUE_CARD = "eu_blue_card"
    MEDIUM_SKILLED_SHORTAGE = "medium_skilled_shortage"
    OTHER_VDAB_LIST = "other_vdab_list"
    TRAINEE = "trainee"  # an internship vacancy's route, instead of the four above


@dataclass(frozen=True)
class Reason:
    """One checked condition that failed (or, for routes, passed), with the compared values.

    ``closable``: the gap can be closed (a course, a pending recognition, a consent to ask for);
    ``under_way``: something that closes it is already in progress; ``closes_by``: ISO date if known.
    """

    code: str  # dotted, e.g. "language.below_minimum", "route.highly_skilled.salary_below_threshold"
    params: tuple[tuple[str, Param], ...] = ()
    closable: bool = False
    under_way: bool = False
    closes_by: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "params": dict(self.params),
            "closable": self.closable,
            "under_way": self.under_way,
            "closes_by": self.closes_by,
        }


@dataclass(frozen=True)
class RouteCheck:
    route: Route
    outcome: Outcome
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class CriterionScore:
    code: str  # occupation, essential_skills, languages, experience, qualification, optional_skills, ...
    earned: float
    possible: float
    reason: Reason


@dataclass(frozen=True)
class MatchResult:
    candidate_id: int
    vacancy_id: int
    outcome: Outcome
    reasons: tuple[Reason, ...]  # the gate conditions that failed (closable ones for CONDITIONAL)
    routes: tuple[RouteCheck, ...]  # every route considered, passed or not
    score: float | None  # 0–100, rounded to 2 decimals; None when INELIGIBLE
    breakdown: tuple[CriterionScore, ...]
    algorithm_version: str

    def as_dict(self) -> dict[str, object]:
        """The whole explanation as plain data (codes and values compared, no sentences): what the API
        shows and what a case keeps of the match a person acted on."""
        return {
            "outcome": self.outcome.value,
            "score": self.score,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "routes": [
                {
                    "route": check.route.value,
                    "outcome": check.outcome.value,
                    "reasons": [reason.as_dict() for reason in check.reasons],
                }
                for check in self.routes
            ],
            "breakdown": [
                {"code": c.code, "earned": c.earned, "possible": c.possible, "reason": c.reason.as_dict()}
                for c in self.breakdown
            ],
            "algorithm_version": self.algorithm_version,
        }
