"""Who pays which recruitment cost of a case, and the log of the holds a candidate-paid cost puts on it.

The employer-pays principle (ILO General Principles and Operational Guidelines for Fair Recruitment and
the Definition of Recruitment Fees and Related Costs; the Flemish private employment mediation rules,
docs/pathways/employer-costs.md): a candidate is never charged for their recruitment. A cost the candidate
paid is still recorded, because hiding it would hide the abuse; recording it puts the case on hold
(``costs.services``) until every such cost is refunded, with evidence.

Per case, not per candidate: the candidate-level ledger ``candidates.RecruitmentCost`` (what a candidate
paid before any case, which keeps them out of matching) stays as it is.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Organisation
from recruitment.models import Placement


class CostType(models.TextChoices):
    VISA_PERMIT = "visa_permit", _("Visa or permit fee")
    TRAVEL = "travel", _("Travel")
    HOUSING = "housing", _("Housing")
    MEDICAL = "medical", _("Medical examination")
    TRANSLATION = "translation", _("Translation")
    LEGALISATION = "legalisation", _("Legalisation of documents")
    RECOGNITION_FEE = "recognition_fee", _("Diploma recognition fee")
    TRAINING = "training", _("Training or language course")
    MENTORING = "mentoring", _("Mentoring")
    AGENCY_FEE = "agency_fee", _("Agency fee")
    OTHER = "other", _("Other")


class Payer(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    PROJECT = "project", _("Project")
    CANDIDATE = "candidate", _("Candidate")
    OTHER = "other", _("Other")


class CaseCost(models.Model):
    """One cost of a case: what, how much, who pays it and to whom, on what evidence, recorded by whom.

    Written by ``costs.services``; never edited afterwards except to record the refund of a cost the
    candidate paid (who, when, on what evidence) or the void of a cost recorded in error (who, when,
    why). Deleted with its case; a case kept under a legal hold when its candidate is erased keeps its
    costs without the free texts (``privacy.services.erasure``).
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey(
        Placement, verbose_name=_("case"), on_delete=models.CASCADE, related_name="costs"
    )
    cost_type = models.CharField(_("cost"), max_length=20, choices=CostType.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    paid_by = models.CharField(_("paid by"), max_length=12, choices=Payer.choices)
    payee = models.CharField(_("paid to"), max_length=200, blank=True)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded by organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The refund of a cost the candidate paid: staff record it, with the evidence they saw.
    refunded_at = models.DateTimeField(_("refunded to the candidate at"), null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refund recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refund_evidence = models.CharField(_("evidence of the refund"), max_length=300, blank=True)
    # A cost recorded in error is voided by staff, never deleted: the row stays with who voided it, when
    # and why, and no longer counts (neither in the totals nor for the hold).
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.CharField(_("why it was voided"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case cost")
        verbose_name_plural = _("case costs")
        ordering = ["placement", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="case_cost_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(condition=Q(paid_by__in=Payer.values), name="case_cost_payer_valid"),
            models.CheckConstraint(condition=Q(cost_type__in=CostType.values), name="case_cost_type_valid"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="case_cost_currency_code"
            ),
            # Only what the candidate paid is refunded to them, and a refund names its evidence.
            models.CheckConstraint(
                condition=Q(refunded_at__isnull=True) | (Q(paid_by="candidate") & ~Q(refund_evidence="")),
                name="case_cost_refund_of_candidate_cost_with_evidence",
                violation_error_message=_("Only a cost the candidate paid is refunded, with its evidence."),
            ),
            # A void names its reason, and a cost is either refunded or voided, never both.
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | (~Q(void_reason="") & Q(refunded_at__isnull=True)),
                name="case_cost_void_with_reason_not_refunded",
                violation_error_message=_("A voided cost names why, and a refunded cost cannot be voided."),
            ),
        ]
        indexes = [models.Index(fields=["paid_by", "refunded_at"], name="case_cost_open_incidents")]

    def __str__(self) -> str:
        return f"{self.get_cost_type_display()} {self.amount} {self.currency} ({self.get_paid_by_display()})"

    @property
    def is_incident(self) -> bool:
        """Charged to the candidate, neither refunded nor voided: what holds the case."""
        return self.paid_by == Payer.CANDIDATE and self.refunded_at is None and self.voided_at is None


class CostHoldEvent(models.Model):
    """The log of a case's cost holds: put on when a candidate-paid cost is recorded, lifted when the last
    one is refunded or voided. Written with the change it records, never edited."""

    class Kind(models.TextChoices):
        HELD = "held", _("Case put on hold")
        RELEASED = "released", _("Hold lifted")

    placement = models.ForeignKey(
        Placement, verbose_name=_("case"), on_delete=models.CASCADE, related_name="cost_hold_events"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    cost = models.ForeignKey(
        CaseCost,
        verbose_name=_("cost"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hold_events",
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cost hold event")
        verbose_name_plural = _("cost hold events")
        ordering = ["placement", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["held", "released"]), name="cost_hold_event_kind")
        ]

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.kind} at {self.at:%Y-%m-%d}"
