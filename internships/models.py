"""What happens after a circular internship: the former trainee's situation back home, logged over time.

A case on an internship vacancy (``recruitment.workflow``: ... started, ``internship_completed``,
``returned``) stays open after the return while the organiser supports the trainee until they find work
(the IOM Belgium-Tunisia scheme, docs/pathways/internships.md). Each time staff learn where the person
stands, they record an ``OutcomeUpdate``; the latest one (by the day it was observed, then by when it was
written) is the current outcome. Updates are never edited or deleted by the product: the log shows how
the situation evolved, and the project's figures (``internships.selectors.outcome_figures``) are
computed from it, never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from recruitment.models import Placement


class ReturnOutcome(models.TextChoices):
    """Where a former trainee stands after returning home."""

    EMPLOYED_AT_HOME = "employed_at_home", _("Employed in the country of origin")
    HIRED_BY_HOST_HERE = "hired_by_host_here", _("Hired by the host company in Belgium")
    HIRED_BY_HOST_ABROAD = (
        "hired_by_host_abroad",
        _("Hired by the host company abroad (such as its subsidiary in the country of origin)"),
    )
    STUDYING = "studying", _("Studying")
    LOOKING = "looking", _("Still looking for work")


# Outcomes that count as "hired by their host company" (the scheme's 26 % style figure) and as employed.
HIRED_BY_HOST = frozenset({ReturnOutcome.HIRED_BY_HOST_HERE, ReturnOutcome.HIRED_BY_HOST_ABROAD})
EMPLOYED = HIRED_BY_HOST | {ReturnOutcome.EMPLOYED_AT_HOME}


class OutcomeUpdate(models.Model):
    """One observation of a former trainee's situation after return. Written once, never edited."""

    Outcome = ReturnOutcome

    # CASCADE: erasing a candidate erases their cases, and with them this log (GDPR).
    placement = models.ForeignKey(
        Placement, verbose_name=_("case"), on_delete=models.CASCADE, related_name="return_outcomes"
    )
    outcome = models.CharField(_("outcome after return"), max_length=24, choices=ReturnOutcome.choices)
    observed_on = models.DateField(
        _("observed on"), help_text=_("The day the former trainee's situation was known to be this.")
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outcome after return")
        verbose_name_plural = _("outcomes after return")
        ordering = ["placement", "observed_on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=ReturnOutcome.values), name="outcome_update_outcome_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["placement", "observed_on", "recorded_at"], name="outcome_update_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.outcome} ({self.observed_on})"
