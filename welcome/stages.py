"""Which information pages a case's stage shows: a plain table from the placement workflow's stages
(``recruitment.workflow.Stage``) to the groups of welcome pages (no Django: easy to read, test and audit).

A page belongs to one group. A stage shows several groups where the earlier pages still help: someone
waiting for their permit still follows their Dutch course online (before departure), someone who has
arrived still needs to know about family reunification (offer and permit). The table is the one rule:
the candidate's pages (``welcome.selectors``), the staff's "who read what" and the e-mail telling a
candidate of new pages (``welcome.services.notices``) all read it.

A case at a closing stage (declined, withdrawn, ended) shows nothing. A candidate with no open case
(registered, waiting for a match) is shown the pages before departure, as is one whose only cases are
closed: that information is useful to everyone who may still leave, and says nothing about a case.
A shortlisted case is shown to the candidate in their space (``candidate_space``), so it counts like a
proposed one.
"""

from enum import StrEnum

from recruitment.workflow import FINAL_STAGES, Stage


class Group(StrEnum):
    """The groups of information pages, in the order a candidate meets them."""

    BEFORE_DEPARTURE = "before_departure"
    OFFER_AND_PERMIT = "offer_permit"
    BEFORE_TRAVEL = "before_travel"
    ON_ARRIVAL = "on_arrival"
    AFTER_STARTING = "after_starting"


G = Group
S = Stage

_PREPARING = frozenset({G.BEFORE_DEPARTURE})
_OFFERED = frozenset({G.BEFORE_DEPARTURE, G.OFFER_AND_PERMIT})
_LEAVING = frozenset({G.BEFORE_DEPARTURE, G.OFFER_AND_PERMIT, G.BEFORE_TRAVEL})
_ARRIVED = frozenset({G.OFFER_AND_PERMIT, G.ON_ARRIVAL})
_WORKING = frozenset({G.ON_ARRIVAL, G.AFTER_STARTING})
_CLOSED: frozenset[Group] = frozenset()

STAGE_GROUPS: dict[Stage, frozenset[Group]] = {
    S.SHORTLISTED: _PREPARING,
    S.PROPOSED: _PREPARING,
    S.EMPLOYER_INTERESTED: _PREPARING,
    S.INTERVIEW: _PREPARING,
    S.OFFER: _OFFERED,
    S.OFFER_ACCEPTED: _OFFERED,
    S.RECOGNITION: _OFFERED,
    S.PERMIT_FILED: _OFFERED,
    # A refused permit can be appealed or filed again: the permit pages still apply.
    S.PERMIT_REFUSED: _OFFERED,
    S.PERMIT_GRANTED: _LEAVING,
    S.VISA: _LEAVING,
    S.ARRIVED: _ARRIVED,
    S.STARTED: _WORKING,
    S.EMPLOYED_6M: _WORKING,
    S.EMPLOYED_12M: _WORKING,
    S.INTERNSHIP_COMPLETED: _WORKING,
    # Back in the country of origin: the pages about life and work in Belgium no longer help.
    S.RETURNED: _CLOSED,
    S.EMPLOYER_DECLINED: _CLOSED,
    S.ENDED: _CLOSED,
    S.WITHDRAWN: _CLOSED,
}

# What a candidate without an open case sees.
NO_CASE_GROUPS = _PREPARING

# The stages whose cases count here: every stage that shows a group.
OPEN_STAGES = frozenset(stage for stage, groups in STAGE_GROUPS.items() if groups)
assert OPEN_STAGES.isdisjoint(FINAL_STAGES), "a closed case shows no pages"


def groups_for_stage(stage: str) -> frozenset[Group]:
    """The groups a case at ``stage`` shows (none for a closing stage or an unknown value)."""
    try:
        return STAGE_GROUPS[Stage(stage)]
    except ValueError:
        return _CLOSED


def stages_for_group(group: str) -> frozenset[Stage]:
    """The stages whose cases show the pages of ``group`` (the inverse of the table)."""
    return frozenset(stage for stage, groups in STAGE_GROUPS.items() if group in groups)
