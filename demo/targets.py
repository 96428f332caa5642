"""Funnel targets of the reference projects, so each project's funnel has something to be measured against.

The numbers are plausible, not official: they start from what public sources say (domain.md, section 0:
PALIM trained 120, MATCH expected 210 beneficiaries, Aurora's first cohort of 22 nurses who arrived,
DT4E's target of at least 250 talents) and narrow step by step down the funnel.

A project (or cohort) that already has targets keeps them: an administrator's figures are never
overwritten, and running the seed again writes nothing. Targets stay when the demo data is reset, like
the projects they belong to.
"""

from django.db import transaction

from demo.context import DemoContext
from projects.models import FunnelStep, FunnelTarget

F = FunnelStep

# Project key (demo.context.PROJECT_KEYS) -> target per step, in funnel order.
PROJECT_TARGETS: dict[str, dict[str, int]] = {
    "palim": {
        F.REGISTERED: 200,  # the online test brought about 1,000 applicants down to 200
        F.TRAINED: 120,  # selected and trained in Morocco (confirmed)
        F.MATCHED: 60,
        F.PROPOSED: 40,
        F.INTERVIEWED: 35,
        F.OFFERED: 30,  # about 30 were coached toward Flanders
        F.PERMIT_FILED: 28,
        F.PERMIT_GRANTED: 27,
        F.ARRIVED: 26,
        F.STARTED: 26,
        F.EMPLOYED_6M: 24,
        F.EMPLOYED_12M: 22,
    },
    "match": {
        F.REGISTERED: 210,  # expected beneficiaries
        F.TRAINED: 150,
        F.MATCHED: 120,
        F.PROPOSED: 76,  # recruitment processes started
        F.INTERVIEWED: 50,
        F.OFFERED: 30,
        F.PERMIT_FILED: 25,
        F.PERMIT_GRANTED: 24,
        F.ARRIVED: 22,
        F.STARTED: 22,
        F.EMPLOYED_6M: 20,
        F.EMPLOYED_12M: 18,
    },
    "aurora": {
        F.REGISTERED: 60,
        F.TRAINED: 30,  # trained in Kerala
        F.MATCHED: 30,
        F.PROPOSED: 30,
        F.INTERVIEWED: 28,
        F.OFFERED: 25,
        F.PERMIT_FILED: 24,
        F.PERMIT_GRANTED: 23,
        F.ARRIVED: 22,  # the first cohort
        F.STARTED: 22,
        F.EMPLOYED_6M: 20,
        F.EMPLOYED_12M: 18,
    },
    "dt4e": {
        F.REGISTERED: 250,  # at least 250 talents
        F.MATCHED: 200,
        F.PROPOSED: 180,
        F.INTERVIEWED: 160,
        F.OFFERED: 130,
        F.PERMIT_FILED: 125,
        F.PERMIT_GRANTED: 122,
        F.ARRIVED: 120,
        F.STARTED: 120,
        F.EMPLOYED_6M: 110,
        F.EMPLOYED_12M: 100,
    },
}

# One cohort-level set: Aurora's first cohort (else PALIM's), the one with a documented history.
COHORT_TARGETS: dict[str, int] = {
    F.REGISTERED: 30,
    F.TRAINED: 30,
    F.MATCHED: 26,
    F.PROPOSED: 25,
    F.INTERVIEWED: 24,
    F.OFFERED: 23,
    F.PERMIT_FILED: 22,
    F.PERMIT_GRANTED: 22,
    F.ARRIVED: 22,
    F.STARTED: 22,
    F.EMPLOYED_6M: 21,
    F.EMPLOYED_12M: 20,
}
COHORT_PROJECT_KEYS = ("aurora", "palim")


@transaction.atomic
def seed_funnel_targets(context: DemoContext) -> int:
    """Write the targets of every project and cohort above that has none yet; returns the rows written."""
    rows: list[FunnelTarget] = []
    for key, targets in PROJECT_TARGETS.items():
        project = context.projects.get(key)
        if (
            project is None
            or FunnelTarget.objects.filter(project_id=project.id, cohort__isnull=True).exists()
        ):
            continue
        rows += [
            FunnelTarget(project_id=project.id, step=step, count=count) for step, count in targets.items()
        ]
    cohort_project = next(
        (
            context.projects[key]
            for key in COHORT_PROJECT_KEYS
            if key in context.projects and context.projects[key].cohorts
        ),
        None,
    )
    if cohort_project is not None:
        cohort_id = cohort_project.cohorts[0].id
        if not FunnelTarget.objects.filter(cohort_id=cohort_id).exists():
            rows += [
                FunnelTarget(project_id=cohort_project.id, cohort_id=cohort_id, step=step, count=count)
                for step, count in COHORT_TARGETS.items()
            ]
    FunnelTarget.objects.bulk_create(rows)
    return len(rows)
