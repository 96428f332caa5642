"""The placement state machine as a plain transition table (no Django: easy to read, test and audit).

A placement is one candidate's case for one vacancy, from the recruiter's shortlist to retention a year
after the start of work. Each stage may move only to the stages listed for it; a few moves belong to the
employer (deciding on a proposal, inviting to an interview, making an offer), every other move to the
public employment service's staff. ``recruitment.services.placements`` applies this table under a row
version check, so two concurrent clicks can never both move a case.

A case on an internship vacancy (``Vacancy.kind``, docs/pathways/internships.md) takes the same path up
to the start (its permit is the trainee permit, applied for by the host employer in the same single
application procedure), then ``internship_completed`` and ``returned`` instead of the 6- and 12-month
retention steps. After the return the case stays open while the organiser supports the trainee until
they find work; the outcomes after return are recorded by ``internships.services``, not as stages.
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
    INTERNSHIP_COMPLETED = "internship_completed"
    RETURNED = "returned"
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
    S.STARTED: frozenset({S.EMPLOYED_6M, S.INTERNSHIP_COMPLETED, S.ENDED}),
    S.EMPLOYED_6M: frozenset({S.EMPLOYED_12M, S.ENDED}),
    S.EMPLOYED_12M: frozenset({S.ENDED}),
    # An internship: completed, then the trainee goes home (the "circular" part). A trainee who stays
    # (hired here at once, say) ends the case with a reason instead.
    S.INTERNSHIP_COMPLETED: frozenset({S.RETURNED, S.ENDED}),
    # Returned: open for the follow-up after return (internships.services); ended when it stops.
    S.RETURNED: frozenset({S.ENDED}),
    S.EMPLOYER_DECLINED: frozenset(),
    S.ENDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

FINAL_STAGES = frozenset(stage for stage, following in TRANSITIONS.items() if not following)

# The stages of one kind of vacancy only: an employment's retention checks, an internship's end and return.
EMPLOYMENT_ONLY = frozenset({S.EMPLOYED_6M, S.EMPLOYED_12M})
INTERNSHIP_ONLY = frozenset({S.INTERNSHIP_COMPLETED, S.RETURNED})

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


def next_stages(stage: Stage, *, needs_recognition: bool, internship: bool = False) -> frozenset[Stage]:
    """Where a case at ``stage`` may go. A regulated profession (a nurse) cannot file a permit before its
    diploma is recognised (domain.md 4.4): an accepted offer goes through ``recognition`` first. Other
    occupations may take that step too (a recognised diploma helps the highly skilled route).
    ``internship``: the case is on an internship vacancy, whose path after the start differs."""
    following = TRANSITIONS[stage] - (EMPLOYMENT_ONLY if internship else INTERNSHIP_ONLY)
    if stage == S.OFFER_ACCEPTED and needs_recognition:
        return following - {S.PERMIT_FILED}
    return following


def may_move(
    stage: Stage, target: Stage, *, by_employer: bool, needs_recognition: bool, internship: bool = False
) -> bool:
    if target not in next_stages(stage, needs_recognition=needs_recognition, internship=internship):
        return False
    return not by_employer or (stage, target) in EMPLOYER_MOVES
