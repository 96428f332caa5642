"""The data lifecycle's own records: requests for erasure and the retention job's reminders.

Neither holds personal data of its own: an erasure request names its candidate by a foreign key (and by
the candidate's public id, a pseudonym that outlives the row) and records what was done; a reminder
records when a candidate was told that their data would be anonymised.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    EXECUTED = "executed", _("Executed")
    REFUSED = "refused", _("Refused")


class RequestedBy(models.TextChoices):
    """Who asked for the erasure."""

    CANDIDATE = "candidate", _("The candidate, in their space")
    STAFF = "staff", _("Staff, on the candidate's behalf")
    RETENTION = "retention", _("The retention job (inactive for too long)")


class ErasureRequest(models.Model):
    """A request to erase a candidate's personal data (GDPR art. 17), from the asking to its execution.

    Asking restricts the candidate at once (``privacy.services.erasure_request_create``); staff holding
    ``privacy.change_erasurerequest`` execute or refuse it (``/recruiter/privacy/``), and the retention
    job executes its own. Executing anonymises the candidate (``privacy.services.candidate_erase``).

    What stays after the erasure is the record that it happened: when, at whose request, who executed
    it, the cases kept under a legal hold (by their pseudonymous ids and stages) and how many access
    log entries were deleted (an aggregate the data protection officer may be asked for). The candidate
    is named by ``candidate_reference`` (their public id, a pseudonym with no meaning outside this
    system), which stays if the candidate row ever goes.
    """

    Status = ErasureStatus
    RequestedBy = RequestedBy

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    candidate_reference = models.UUIDField(_("candidate reference"), editable=False)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by_kind = models.CharField(_("asked by"), max_length=12, choices=RequestedBy.choices)
    # The staff member who recorded it; empty for the candidate's own request and for the retention job.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    decided_at = models.DateTimeField(_("executed or refused at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executed or refused by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("why it was refused"), max_length=1000, blank=True)
    legal_holds = models.JSONField(
        _("cases kept under a legal hold"),
        default=list,
        blank=True,
        help_text=_("Cases that reached the single permit: kept without identity (case id and stage)."),
    )
    access_log_entries_removed = models.PositiveIntegerField(_("access log entries deleted"), default=0)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ErasureStatus.values), name="erasure_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(requested_by_kind__in=RequestedBy.values), name="erasure_request_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="requested", decided_at__isnull=True)
                | (~Q(status="requested") & Q(decided_at__isnull=False)),
                name="erasure_request_decision_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="erasure_request_refusal_has_reason",
                violation_error_message=_("Say why the erasure is refused."),
            ),
            # Asking twice joins the open request: one open request per candidate.
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status="requested", candidate__isnull=False),
                name="erasure_request_one_open",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="erasure_request_open")]

    def __str__(self) -> str:
        return f"erasure request {self.public_id} ({self.status})"


class RetentionReminder(models.Model):
    """An e-mail telling an inactive candidate that their data will be anonymised unless they act.

    One per period of inactivity: ``inactive_since`` is the last activity the reminder was about, and
    the unique pair is the claim that makes two runs of the job send it once. Deleted with the
    candidate's other data when they are erased.
    """

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="retention_reminders",
        db_index=False,  # the unique pair (candidate first) serves it
    )
    inactive_since = models.DateTimeField(_("last activity before the reminder"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("retention reminder")
        verbose_name_plural = _("retention reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "inactive_since"], name="retention_reminder_once_per_inactivity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} reminded at {self.sent_at:%Y-%m-%d}"
