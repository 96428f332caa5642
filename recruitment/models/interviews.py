"""Interview slots an employer proposes for a case; the recruiter confirms one with the candidate."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recruitment.models.placements import Placement


class InterviewMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Telephone")


class InterviewSlotStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not possible")
    CANCELLED = "cancelled", _("Cancelled")


class InterviewSlot(models.Model):
    """One date and time an employer offers for an interview. At most one slot of a case is accepted."""

    Mode = InterviewMode
    Status = InterviewSlotStatus

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="interview_slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.VIDEO)
    # Where, or how to join; no personal data of the candidate.
    location = models.CharField(_("place or how to join"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InterviewSlotStatus.values), name="interview_slot_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=InterviewMode.values), name="interview_slot_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="interview_slot_duration_sane",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(answered_at__isnull=False),
                name="interview_slot_answer_dated",
            ),
            models.UniqueConstraint(
                fields=["placement"],
                condition=Q(status="accepted"),
                name="interview_slot_one_accepted_per_case",
            ),
        ]

    def __str__(self) -> str:
        # In the site's time zone (Europe/Brussels) as on every page, not the UTC hour from the database.
        return f"{self.placement_id} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} ({self.status})"
