"""A candidate's progress in a pre-departure or bridging programme (Dutch, civic orientation, soft skills)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.models.profile import Candidate
from core.choices import CEFRLevel
from projects.models import TrainingProgramme


class TrainingEnrolment(models.Model):
    """Matching reads this to say whether a gap is closing: "Dutch B1 needed, has A2, target B1 by June"."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped out")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="enrolments")
    programme = models.ForeignKey(
        TrainingProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ENROLLED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    expected_end_on = models.DateField(_("expected end"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    dutch_level_reached = models.CharField(
        _("Dutch level reached"), max_length=2, choices=CEFRLevel.choices, blank=True
    )
    civic_orientation_done = models.BooleanField(_("civic orientation done"), default=False)
    soft_skills_done = models.BooleanField(_("soft skills done"), default=False)

    class Meta:
        verbose_name = _("training enrolment")
        verbose_name_plural = _("training enrolments")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "programme"], name="enrolment_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["enrolled", "in_progress", "completed", "dropped"]),
                name="enrolment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="enrolment_completion_dated",
                violation_error_message=_("A completed programme needs its completion date."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(completed_on__gte=F("started_on")),
                name="enrolment_period_ordered",
                violation_error_message=_("The completion date cannot come before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} ({self.get_status_display()})"
