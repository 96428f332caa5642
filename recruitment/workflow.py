"""The placement state machine as a plain transition table (no Django: easy to read, test and audit).

A placement is one candidate's case for one vacancy, from the recruiter's shortlist to retention a year
after the start of work. Each stage may move only to the stages listed for it; a few moves belong to the
employer (deciding on a proposal, inviting to an interview, making an offer), every other move to the
public employment service's staff. ``recruitment.services.placements`` applies this table under a row
version check, so two concurrent clicks can never both move a case.
"""

from enum import StrEnum


class Stage(StrEnum):
    SHORTLISTED = "shortlisted"
    PROPOSED = "proposed"
    EMPLOYER_INTERESTED = "employer_interested"
    EMPLOYER_DECLINED = "employer_declined"
    INTERVIEW = "interview"
    OFFER = "offer"
    OFFER_ACCEPTED = "offer_accepted"
    RECOGNITION = "recognition"
    PERMIT_FILED = "permit_filed"
    PERMIT_GRANTED = "permit_granted"
    PERMIT_REFUSED = "permit_refused"
    VISA = "visa"
    ARRIVED = "arrived"
    STARTED = "started"
    EMPLOYED_6M = "employed_6m"
    EMPLOYED_12M = "employed_12m"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


S = Stage

# From each stage, where a case may go next. ``ended`` closes a case after an offer (with a reason);
# ``withdrawn`` closes it before one (the candidate or the recruiter withdraws it).
TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    S.SHORTLISTED: frozenset({S.PROPOSED, S.WITHDRAWN}),
    S.PROPOSED: frozenset({S.EMPLOYER_INTERESTED, S.EMPLOYER_DECLINED, S.WITHDRAWN}),
    S.EMPLOYER_INTERESTED: frozenset({S.INTERVIEW, S.EMPLOYER_DECLINED, S.WITHDRAWN}),
    S.INTERVIEW: frozenset({S.OFFER, S.EMPLOYER_DECLINED, S.WITHDRAWN}),
    S.OFFER: frozenset({S.OFFER_ACCEPTED, S.ENDED}),
    S.OFFER_ACCEPTED: frozenset({S.RECOGNITION, S.PERMIT_FILED, S.ENDED}),
    S.RECOGNITION: frozenset({S.PERMIT_FILED, S.ENDED}),
    S.PERMIT_FILED: frozenset({S.PERMIT_GRANTED, S.PERMIT_REFUSED, S.ENDED}),
    # A refusal can be appealed or the application filed again.
    S.PERMIT_REFUSED: frozenset({S.PERMIT_FILED, S.ENDED}),
    S.PERMIT_GRANTED: frozenset({S.VISA, S.ENDED}),
    S.VISA: frozenset({S.ARRIVED, S.ENDED}),
    S.ARRIVED: frozenset({S.STARTED, S.ENDED}),
    S.STARTED: frozenset({S.EMPLOYED_6M, S.ENDED}),
    S.EMPLOYED_6M: frozenset({S.EMPLOYED_12M, S.ENDED}),
    S.EMPLOYED_12M: frozenset({S.ENDED}),
    S.EMPLOYER_DECLINED: frozenset(),
    S.ENDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

FINAL_STAGES = frozenset(stage for stage, following in TRANSITIONS.items() if not following)

# The moves an employer makes on a case proposed to it; staff may make these too (on the phone with the
# employer, say) and every other move.
EMPLOYER_MOVES = frozenset(
    {
        (S.PROPOSED, S.EMPLOYER_INTERESTED),
        (S.PROPOSED, S.EMPLOYER_DECLINED),
        (S.EMPLOYER_INTERESTED, S.INTERVIEW),
        (S.EMPLOYER_INTERESTED, S.EMPLOYER_DECLINED),
        (S.INTERVIEW, S.OFFER),
        (S.INTERVIEW, S.EMPLOYER_DECLINED),
    }
)

# Moves that must carry a reason code: a decline, a refusal, an end, a withdrawal.
REASON_REQUIRED = frozenset({S.EMPLOYER_DECLINED, S.PERMIT_REFUSED, S.ENDED, S.WITHDRAWN})

# The employer's decision on a proposal (its own webhook event and deadline).
DECISIONS = frozenset({S.EMPLOYER_INTERESTED, S.EMPLOYER_DECLINED})

# From an invitation to an interview on, the employer may see the candidate's name and contact.
IDENTITY_REVEALED_BY = S.EMPLOYER_INTERESTED

# The order of the funnel (for boards and project counts); the closing stages come last.
ORDER: tuple[Stage, ...] = tuple(Stage)


def next_stages(stage: Stage, *, needs_recognition: bool) -> frozenset[Stage]:
    """Where a case at ``stage`` may go. A regulated profession (a nurse) cannot file a permit before its
    diploma is recognised (domain.md 4.4): an accepted offer goes through ``recognition`` first. Other
    occupations may take that step too (a recognised diploma helps the highly skilled route)."""
    following = TRANSITIONS[stage]
    if stage == S.OFFER_ACCEPTED and needs_recognition:
        return following - {S.PERMIT_FILED}
    return following


def may_move(stage: Stage, target: Stage, *, by_employer: bool, needs_recognition: bool) -> bool:
    if target not in next_stages(stage, needs_recognition=needs_recognition):
        return False
    return not by_employer or (stage, target) in EMPLOYER_MOVES
