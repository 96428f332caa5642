"""Writes of a project's weights for the match score (``ProjectWeights``; docs/matching.md).

A weights change alters the scores of every stored match of the project's candidates. It needs no
version bump of its own: the weights are part of the basis every vacancy's matches are stamped with
(``recruitment.adapters.basis_of``), so the very commit that changes them makes every open vacancy stale,
whatever path made the change (these services, the admin, a shell). The services then wake the sweeper
after commit, as a reference data change does (``reference.services.reference_data_changed``), and the
sweeper queues one recompute per stale vacancy. A change made behind the services' back is caught by the
sweeper's next periodic run.
"""

import logging
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from projects.models import Project
from recruitment.matching.facts import WEIGHT_CRITERIA, Weights
from recruitment.models import ProjectWeights
from recruitment.models.weights import MAX_WEIGHT
from reference.services import reference_data_changed

logger = logging.getLogger(__name__)


def project_weights_current(project: Project) -> Weights:
    """The weights the project's candidates are scored with: its own, or the default."""
    row = ProjectWeights.objects.filter(project=project).first()
    return row.as_weights() if row is not None else Weights()


def project_weights_validate(weights: Mapping[str, object]) -> dict[str, int]:
    """The complete, valid weights, or a ``ValidationError`` naming each wrong field.

    Every criterion of ``Weights`` is required: a whole number from 0 to 100, and they cannot all be 0.
    """
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(weights) - set(WEIGHT_CRITERIA))
    if unknown:
        errors["__all__"] = [_("Unknown criteria: %(names)s.") % {"names": ", ".join(unknown)}]
    values: dict[str, int] = {}
    for name in WEIGHT_CRITERIA:
        value = weights.get(name)
        if value is None:
            errors[name] = [_("A weight is required.")]
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[name] = [_("A weight is a whole number.")]
        elif not 0 <= value <= MAX_WEIGHT:
            errors[name] = [_("A weight lies between 0 and %(max)d.") % {"max": MAX_WEIGHT}]
        else:
            values[name] = value
    if not errors and sum(values.values()) <= 0:
        errors["__all__"] = [_("At least one weight must be above 0.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def project_weights_set(*, project: Project, actor: User | None, **weights: int) -> ProjectWeights:
    """Give ``project`` its own weights and recompute the matches they change.

    Criteria not given keep their current value (the project's own, else the default). Validated before
    anything is written (``ValidationError``); an unchanged set writes nothing. Records who changed the
    weights and when. The project's row is locked so that two concurrent changes apply one after the
    other, each on the other's result.
    """
    Project.objects.select_for_update().filter(pk=project.pk).values("pk").first()
    row = ProjectWeights.objects.filter(project=project).first()
    current = row.as_weights() if row is not None else Weights()
    values = project_weights_validate(
        {name: getattr(current, name) for name in WEIGHT_CRITERIA} | dict(weights)
    )
    if row is not None and row.as_weights() == Weights(**values):
        return row
    row = row or ProjectWeights(project=project)
    for name, value in values.items():
        setattr(row, name, value)
    row.changed_by = actor
    row.changed_at = timezone.now()
    row.full_clean()
    row.save()
    logger.info("project %s weights set by user %s", project.pk, getattr(actor, "pk", None))
    reference_data_changed()  # the basis moved with this commit: the sweeper queues the recomputes
    return row


@transaction.atomic
def project_weights_reset(*, project: Project, actor: User | None) -> None:
    """Back to the default weights (the project's row is deleted) and recompute what that changes."""
    Project.objects.select_for_update().filter(pk=project.pk).values("pk").first()
    deleted, _by_model = ProjectWeights.objects.filter(project=project).delete()
    if deleted:
        logger.info(
            "project %s weights reset to the default by user %s", project.pk, getattr(actor, "pk", None)
        )
        reference_data_changed()
