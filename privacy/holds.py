"""The legal hold: which cases keep a record when their candidate is erased, and which cases retention
may prune. One definition for the services that erase and prune and the selectors that preview them.

A case that reached the single permit application (``permit_filed``) or went further is kept, without
identity: the permit file exists at the regional authority and the federal immigration office, funders
and labour inspectors audit the project's placements by it, and an employer's obligations towards the
worker (the permit's conditions, the employment contract) are checked against it. Its stages and dates
stay; everything that names or describes the person goes (``privacy.services.erasure``). A case that
never got that far holds nothing anyone needs once the candidate is gone, and is deleted.
"""

from django.db.models import Exists, OuterRef, Q

from recruitment.models import PlacementTransition
from recruitment.workflow import FINAL_STAGES, Stage

# The stages from the permit application on (a refusal comes after a filing; "ended" and the other
# closing stages are not in it: whether an ended case is held depends on how far it got).
LEGAL_HOLD_STAGES = frozenset(
    {
        Stage.PERMIT_FILED,
        Stage.PERMIT_GRANTED,
        Stage.PERMIT_REFUSED,
        Stage.VISA,
        Stage.ARRIVED,
        Stage.STARTED,
        Stage.EMPLOYED_6M,
        Stage.EMPLOYED_12M,
    }
)
_HOLD_VALUES = sorted(stage.value for stage in LEGAL_HOLD_STAGES)
FINAL_STAGE_VALUES = sorted(stage.value for stage in FINAL_STAGES)


def under_legal_hold() -> Q:
    """Placements (the outer rows) at a legal-hold stage now, or that ever moved to one."""
    return Q(stage__in=_HOLD_VALUES) | Q(
        Exists(PlacementTransition.objects.filter(placement=OuterRef("pk"), to_stage__in=_HOLD_VALUES))
    )


def ended_unsuccessfully() -> Q:
    """Placements closed (declined, withdrawn, ended) that never reached the permit: what retention
    prunes once they are old enough."""
    return Q(stage__in=FINAL_STAGE_VALUES) & ~under_legal_hold()
