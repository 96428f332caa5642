"""A project's selection steps, each candidate's result at each step, and job-dating events.

Palim (seed document): an online test took about 1,000 applicants to 200, then a selection mission on
site; the job dating planned for March 2020 was cancelled and replaced by video CVs. Those figures are
not constants of a project: they are what the results recorded here add up to (``selectors``), and
documented counts stay ``projects.FunnelRecord`` rows with their source.

Rules live in ``selection.services``: a result needs the previous step passed, a verdict follows the
pass mark, only candidates who passed the required step and consent to share with an employer are
invited to meet it (``selection.eligibility``). The constraints below keep each row coherent on its own.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.models import Organisation
from projects.models import Project

# Candidates whose results may be recorded and who may be invited (a withdrawn, restricted or erased
# candidate is not processed any more).
PROCESSABLE_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)


class StepKind(models.TextChoices):
    ONLINE_TEST = "online_test", _("Online test")
    INTERVIEW = "interview", _("Interview")
    SELECTION_MISSION = "selection_mission", _("Selection mission")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class SelectionStep(models.Model):
    """One step of a project's selection, in order (``position`` 1, 2, ...)."""

    Kind = StepKind

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="selection_steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    # For a scored step: a score at or above it passes. Empty: the verdict is recorded as such.
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a scored step: a score at or above it passes."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("selection step")
        verbose_name_plural = _("selection steps")
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="selection_step_one_per_position"),
            models.UniqueConstraint(fields=["project", "name"], name="selection_step_unique_name"),
            models.CheckConstraint(condition=Q(position__gte=1), name="selection_step_position_positive"),
            models.CheckConstraint(condition=Q(kind__in=StepKind.values), name="selection_step_kind_valid"),
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True) | Q(pass_mark__gte=0),
                name="selection_step_pass_mark_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class Verdict(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    ABSENT = "absent", _("Absent")


class SelectionResult(models.Model):
    """A candidate's result at one step: a score and/or a verdict, who recorded it and when.

    One row per candidate and step; recording again replaces it (the latest word counts) and keeps who
    changed it last. CASCADE from the candidate: an erasure deletes their results.
    """

    Verdict = Verdict

    step = models.ForeignKey(
        SelectionStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="results"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="selection_results"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
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
        verbose_name = _("selection result")
        verbose_name_plural = _("selection results")
        ordering = ["step", "candidate"]
        constraints = [
            models.UniqueConstraint(fields=["step", "candidate"], name="selection_result_one_per_step"),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="selection_result_verdict_valid"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0), name="selection_result_score_positive"
            ),
        ]
        indexes = [
            # The funnel: per step, how many entered and passed.
            models.Index(fields=["step", "verdict"], name="selection_result_step_verdict"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} @ {self.step_id}: {self.verdict}"


class JobDatingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class JobDating(models.Model):
    """An event of a project where invited employers meet invited candidates, on a date, at a place or
    online. A cancelled event keeps its record and its reason (Palim, March 2020)."""

    Status = JobDatingStatus

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="job_datings"
    )
    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    # Who may be invited: those who passed this step (any step of the project's, usually the last).
    required_step = models.ForeignKey(
        SelectionStep,
        verbose_name=_("step to have passed"),
        on_delete=models.PROTECT,
        related_name="job_datings",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobDatingStatus.choices, default=JobDatingStatus.PLANNED
    )
    cancellation_reason = models.CharField(_("reason for the cancellation"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    employers = models.ManyToManyField(
        Organisation, verbose_name=_("employers invited"), blank=True, related_name="job_datings"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("job dating")
        verbose_name_plural = _("job datings")
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobDatingStatus.values), name="job_dating_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled")
                | (~Q(cancellation_reason="") & Q(cancelled_at__isnull=False)),
                name="job_dating_cancellation_has_reason",
                violation_error_message=_("A cancelled job dating needs its reason."),
            ),
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(place=""),
                name="job_dating_has_place_or_online",
                violation_error_message=_("Give the place, or say the job dating is online."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on})"


class JobDatingInvitation(models.Model):
    """A candidate invited to a job dating. CASCADE from the candidate: an erasure deletes it."""

    event = models.ForeignKey(
        JobDating, verbose_name=_("job dating"), on_delete=models.CASCADE, related_name="invitations"
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="job_dating_invitations",
    )
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    invited_at = models.DateTimeField(_("invited at"))

    class Meta:
        verbose_name = _("job-dating invitation")
        verbose_name_plural = _("job-dating invitations")
        ordering = ["event", "invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "candidate"], name="job_dating_one_invitation"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} @ {self.event_id}"

    @property
    def reference(self) -> str:
        """The pseudonym employers see for the candidate at this event (meaningless elsewhere)."""
        return self.public_id.hex[:6].upper()
