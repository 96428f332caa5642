"""A project's own weights for the match score (domain.md 8.3; docs/matching.md "Weights per project").

domain.md 8.3 gives the weights as "a justified starting point" to keep "configurable per project/sector":
a project that recruits nurses may value recognition readiness more than one that recruits welders. The
default weights live in the matching core (``recruitment.matching.facts.Weights``); a project without a
row here uses them.

Whose weights score a pair: the **candidate's** project's (``Candidate.project``). A candidate belongs to
one project, while a vacancy may be open to several, so the candidate's project is the only unambiguous
choice; candidates in no project get the default weights. One vacancy's list may therefore rank
candidates scored with different weights: every stored breakdown shows the points possible per
criterion, which are the weights used.

Written only through ``recruitment.services.weights`` (the admin included). A change by any path alters
the basis fingerprint of every open vacancy (``recruitment.adapters.basis_of``), so the sweeper
recomputes their matches.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from recruitment.matching.facts import WEIGHT_CRITERIA, Weights

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_WEIGHTS = Weights()
MAX_WEIGHT = 100
"""Points are whole numbers from 0 to 100 per criterion; the score scales any total to 100."""


def _weight_field(verbose_name: "StrOrPromise", criterion: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=int(getattr(DEFAULT_WEIGHTS, criterion)),
        validators=[MaxValueValidator(MAX_WEIGHT)],
    )


class ProjectWeights(models.Model):
    """The points per criterion of the match score for the candidates of one project."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="match_weights"
    )
    occupation = _weight_field(_("occupation fit"), "occupation")
    essential_skills = _weight_field(_("essential skills"), "essential_skills")
    languages = _weight_field(_("languages"), "languages")
    experience = _weight_field(_("experience"), "experience")
    qualification = _weight_field(_("qualification and recognition"), "qualification")
    optional_skills = _weight_field(_("optional skills"), "optional_skills")
    timing = _weight_field(_("timing and readiness"), "timing")
    preferences = _weight_field(_("candidate's preferences"), "preferences")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("project match weights")
        verbose_name_plural = _("project match weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 0 for name in WEIGHT_CRITERIA})
                & Q(**{f"{name}__lte": MAX_WEIGHT for name in WEIGHT_CRITERIA}),
                name="project_weights_range",
                violation_error_message=_("Each weight is a whole number from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=GreaterThan(
                    F("occupation")
                    + F("essential_skills")
                    + F("languages")
                    + F("experience")
                    + F("qualification")
                    + F("optional_skills")
                    + F("timing")
                    + F("preferences"),
                    0,
                ),
                name="project_weights_total_positive",
                violation_error_message=_("At least one weight must be above 0."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.project)

    def as_weights(self) -> Weights:
        return Weights(**{name: getattr(self, name) for name in WEIGHT_CRITERIA})
