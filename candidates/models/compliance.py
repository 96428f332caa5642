"""Consents per purpose and recipient, and the ledger of recruitment costs (who paid them)."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models.profile import Candidate
from core.models import Organisation
from core.validators import validate_country_list
from projects.models import Project


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self) -> "ConsentQuerySet":
        now = timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now), granted_at__lte=now, withdrawn_at__isnull=True
        )


class ConsentPurpose(models.TextChoices):
    PROFILE_VISIBILITY = "profile_visibility", _("Profile visible to the public employment service")
    SHARE_WITH_EMPLOYER = "share_with_employer", _("Profile shared with a named employer")
    SHARE_WITH_PARTNER = "share_with_partner", _("Profile shared with a partner organisation")
    INTERNATIONAL_TRANSFER = "international_transfer", _("Transfer outside the EU")
    TALENT_POOL_EXPORT = "talent_pool_export", _("Export to the EU Talent Pool")
    # The video CV shows the person's face and voice: a consent of its own, per employer, apart from the
    # profile's (selection/, docs/pathways/selection.md).
    VIDEO_CV_WITH_EMPLOYER = "video_cv_with_employer", _("Video CV shown to a named employer")


class Consent(models.Model):
    """A consent for one purpose, and for sharing with one named recipient (GDPR; domain.md 7.2).

    Withdrawing sets ``withdrawn_at``; the row stays as evidence of what was consented to and when.
    """

    Purpose = ConsentPurpose

    # Purposes that are meaningless without a named recipient.
    RECIPIENT_PURPOSES = ("share_with_employer", "share_with_partner", "video_cv_with_employer")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    recipient = models.ForeignKey(
        Organisation,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="candidate_consents",
    )
    countries = models.JSONField(_("countries"), default=list, blank=True, validators=[validate_country_list])
    text_version = models.CharField(_("text version"), max_length=20)
    channel = models.CharField(
        _("channel"), max_length=40, blank=True, help_text=_("Where it was given: form, API, paper.")
    )
    granted_at = models.DateTimeField(_("granted at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["candidate", "-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=ConsentPurpose.values), name="consent_purpose_valid"
            ),
            models.CheckConstraint(
                condition=~Q(
                    purpose__in=["share_with_employer", "share_with_partner", "video_cv_with_employer"]
                )
                | Q(recipient__isnull=False),
                name="consent_sharing_names_recipient",
                violation_error_message=_("Sharing a profile needs a named recipient."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("granted_at")),
                name="consent_withdrawn_after_grant",
                violation_error_message=_("A consent cannot be withdrawn before it was granted."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("granted_at")),
                name="consent_expires_after_grant",
                violation_error_message=_("A consent cannot expire before it was granted."),
            ),
            # One consent in force per purpose and recipient; a renewed consent follows a withdrawn one.
            # (Two partial indexes rather than nulls_distinct, which SQLite does not support.)
            models.UniqueConstraint(
                fields=["candidate", "purpose", "recipient"],
                condition=Q(withdrawn_at__isnull=True, recipient__isnull=False),
                name="consent_one_open_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["candidate", "purpose"],
                condition=Q(withdrawn_at__isnull=True, recipient__isnull=True),
                name="consent_one_open_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.candidate})"


class CostPayer(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    PROJECT = "project", _("Project")
    PARTNER = "partner", _("Partner organisation")
    CANDIDATE = "candidate", _("Candidate")
    OTHER = "other", _("Other")


class RecruitmentCost(models.Model):
    """A cost of the recruitment process and who paid it.

    The employer-pays principle (ILO; Flemish mediation decree, domain.md 5): a candidate never pays.
    A row with ``paid_by=candidate`` is recorded, because hiding it would hide the abuse, and it is a
    compliance incident that blocks the candidate's progression until repaid.
    """

    class CostType(models.TextChoices):
        VISA = "visa", _("Visa")
        PERMIT = "permit", _("Permit fee")
        TRAVEL = "travel", _("Travel")
        MEDICAL = "medical", _("Medical certificate")
        TRANSLATION = "translation", _("Translation")
        LEGALISATION = "legalisation", _("Legalisation")
        RECOGNITION_FEE = "recognition_fee", _("Diploma recognition fee")
        TRAINING = "training", _("Training")
        HOUSING = "housing", _("Housing")
        AGENCY_FEE = "agency_fee", _("Agency fee")
        OTHER = "other", _("Other")

    Payer = CostPayer

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="recruitment_costs")
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="recruitment_costs"
    )
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    paid_by = models.CharField(_("paid by"), max_length=12, choices=Payer.choices)
    payer_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("paying organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    incurred_on = models.DateField(_("incurred on"))
    repaid_on = models.DateField(_("repaid to the candidate on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("recruitment cost")
        verbose_name_plural = _("recruitment costs")
        ordering = ["candidate", "incurred_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="recruitment_cost_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(paid_by__in=CostPayer.values), name="recruitment_cost_payer_valid"
            ),
            # Only a cost the candidate paid can be repaid to the candidate.
            models.CheckConstraint(
                condition=Q(repaid_on__isnull=True) | Q(paid_by="candidate"),
                name="recruitment_cost_repaid_only_if_candidate_paid",
                violation_error_message=_("Only a cost the candidate paid can be repaid to the candidate."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_cost_type_display()} {self.amount} {self.currency} ({self.get_paid_by_display()})"
