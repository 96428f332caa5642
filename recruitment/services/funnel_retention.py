"""Keep a project's funnel counts when the data lifecycle deletes what proves them (``RetainedFunnelStep``).

Called by ``privacy`` in the transaction that deletes the records, before it deletes them: pruning an
ended unsuccessful case, erasing a candidate. The funnel (``recruitment.selectors.funnel``) counts a
candidate at a step when a live record OR a retained row proves it, so recording a step a live record
still proves changes no count, and recording it twice is a no-op (one row per candidate and step).
"""

import datetime
from collections.abc import Collection

from django.db import transaction

from candidates.models import Candidate, TrainingEnrolment
from projects.models import FunnelStep
from recruitment.models import Match, Placement, PlacementTransition, RetainedFunnelStep
from recruitment.models.funnel import EMPLOYMENT_ONLY_STEPS, PLACEMENT_STEP_STAGES
from vacancies.models import Vacancy

_STEP_OF_STAGE = {stage.value: step for step, stage in PLACEMENT_STEP_STAGES.items()}


@transaction.atomic
def funnel_steps_retain(
    *,
    candidate: Candidate,
    placement_ids: Collection[int],
    now: datetime.datetime,
    with_programmes_and_matches: bool = False,
) -> list[str]:
    """Record the funnel steps ``candidate`` reached through these cases of theirs (about to be deleted)
    and, with ``with_programmes_and_matches`` (an erasure), through their completed programmes of their
    project and their eligible matches. Returns the steps recorded, sorted. Idempotent.
    """
    steps: set[str] = set()
    cases = Placement.objects.filter(candidate=candidate, pk__in=list(placement_ids))
    if cases.exists():
        steps.add(FunnelStep.MATCHED.value)  # a case makes its candidate "matched" (the funnel's rule)
        # Each step as the funnel counts it: from the start of work on, employment cases only
        # (``EMPLOYMENT_ONLY_STEPS``: an internship's start is no step). One query.
        reached = (
            PlacementTransition.objects.filter(placement__in=cases, to_stage__in=list(_STEP_OF_STAGE))
            .order_by()
            .values_list("to_stage", "placement__vacancy__kind")
            .distinct()
        )
        for stage, kind in reached:
            step = _STEP_OF_STAGE[stage]
            if step not in EMPLOYMENT_ONLY_STEPS or kind == Vacancy.Kind.EMPLOYMENT:
                steps.add(step.value)
    if with_programmes_and_matches:
        if (
            candidate.project_id is not None
            and TrainingEnrolment.objects.filter(
                candidate=candidate,
                status=TrainingEnrolment.Status.COMPLETED,
                programme__project_id=candidate.project_id,
            ).exists()
        ):
            steps.add(FunnelStep.TRAINED.value)
        if Match.objects.filter(candidate=candidate, outcome=Match.Outcome.ELIGIBLE).exists():
            steps.add(FunnelStep.MATCHED.value)
    RetainedFunnelStep.objects.bulk_create(
        [RetainedFunnelStep(candidate=candidate, step=step, recorded_at=now) for step in sorted(steps)],
        ignore_conflicts=True,
    )
    return sorted(steps)
