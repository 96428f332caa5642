"""Funnel steps that outlive the records proving them: what funders were told survives pruning and erasure.

A project's funnel (``recruitment.selectors.funnel``) counts the distinct candidates who ever reached each
step, from their cases' move log, their completed programmes and their matches. The data lifecycle
(``privacy``) deletes some of those records: ended unsuccessful cases after the retention period, and a
candidate's cases and programmes when they are erased. Before it does, it records here which steps the
candidate reached through them, so the funnel counts them as before and results already reported to
funders never shrink.

One row per candidate and step, nothing else: no case, vacancy, employer or date (data minimisation:
the funnel needs only "reached"). A pseudonymous fact about an active candidate, anonymous once the
candidate is anonymised.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from projects.models import FunnelStep
from recruitment.workflow import Stage
from vacancies.models import Vacancy

# The placement steps of the funnel and the workflow stage whose arrival proves each one. A candidate
# counts at a step when ANY of their cases ever moved to that stage (``PlacementTransition.to_stage``),
# wherever the case is now: someone proposed and later declined was still proposed. The state machine
# (recruitment/workflow.py) passes through every one of these stages on the way to the next, so each
# step needs one stage only; the stages in between (employer interested, offer accepted, diploma
# recognition, visa) and the closing ones (declined, refused, ended, withdrawn) are not funnel steps.
PLACEMENT_STEP_STAGES: dict[FunnelStep, Stage] = {
    FunnelStep.PROPOSED: Stage.PROPOSED,
    FunnelStep.INTERVIEWED: Stage.INTERVIEW,
    FunnelStep.OFFERED: Stage.OFFER,
    FunnelStep.PERMIT_FILED: Stage.PERMIT_FILED,
    FunnelStep.PERMIT_GRANTED: Stage.PERMIT_GRANTED,
    FunnelStep.ARRIVED: Stage.ARRIVED,
    FunnelStep.STARTED: Stage.STARTED,
    FunnelStep.EMPLOYED_6M: Stage.EMPLOYED_6M,
    FunnelStep.EMPLOYED_12M: Stage.EMPLOYED_12M,
}

# From the start of work on, the funnel counts employment cases only. An internship case moves to
# ``started`` too (its internship begins), then to ``internship_completed`` and ``returned``, never to the
# retention steps: counting its start would compare trainees with employees and understate the
# started -> 6 months conversion. Internships have their own figures (``internships.selectors``,
# docs/pathways/internships.md). The steps before (proposed ... arrived) count every case.
EMPLOYMENT_ONLY_STEPS: frozenset[FunnelStep] = frozenset(
    {FunnelStep.STARTED, FunnelStep.EMPLOYED_6M, FunnelStep.EMPLOYED_12M}
)


def case_counts_for_step(step: FunnelStep, placement: str) -> Q:
    """The condition on a case (reached through the lookup path ``placement``, e.g. "placement__" from a
    move, "placements__" from a candidate) for its move to ``step``'s stage to count at ``step``."""
    if step in EMPLOYMENT_ONLY_STEPS:
        return Q(**{f"{placement}vacancy__kind": Vacancy.Kind.EMPLOYMENT})
    return Q()


class RetainedFunnelStep(models.Model):
    """A funnel step ``candidate`` reached through records since deleted (a pruned case, an erasure)."""

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="retained_funnel_steps",
        db_index=False,  # the unique pair (candidate first) serves lookups by candidate
    )
    step = models.CharField(_("step"), max_length=16, choices=FunnelStep.choices)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("retained funnel step")
        verbose_name_plural = _("retained funnel steps")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "step"], name="retained_funnel_step_unique"),
            models.CheckConstraint(
                condition=Q(step__in=FunnelStep.values), name="retained_funnel_step_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.step}"
