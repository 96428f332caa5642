"""A candidate's own sign-in: the account linking a user to a candidate, the one-time invitation that
opens it, and the corrections a candidate asks of the people who recorded their profile."""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate


class CandidateAccount(models.Model):
    """The link between a signed-in user (role ``candidate``, no organisation) and the one candidate they
    are. Created when the candidate accepts an invitation and sets a password; never re-pointed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="candidate_account",
    )
    candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="account",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"))
    activated_at = models.DateTimeField(_("activated at"))

    class Meta:
        verbose_name = _("candidate account")
        verbose_name_plural = _("candidate accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(activated_at__gte=models.F("invited_at")),
                name="candidate_account_activated_after_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"account of candidate {self.candidate_id}"


def invitation_token_digest(token: str) -> str:
    """The stored form of an invitation link's token (SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CandidateInvitationQuerySet(models.QuerySet["CandidateInvitation"]):
    def usable(self, now: datetime.datetime) -> "CandidateInvitationQuerySet":
        """Links that still open an account at ``now``: not used, not superseded, not run out, and of a
        candidate who still exists as a person (not anonymised)."""
        return self.filter(used_at__isnull=True, superseded_at__isnull=True, expires_at__gt=now).exclude(
            candidate__status=Candidate.Status.ANONYMISED
        )


class CandidateInvitation(models.Model):
    """A one-time link sent by e-mail: whoever holds it may open the candidate's account, once, until it
    expires. Only a SHA-256 digest of the token is stored, so a copy of the database opens nothing.

    A new invitation supersedes the open ones (``superseded_at``): only the latest link works.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(_("token digest"), max_length=64, unique=True)
    # The address the link went to (lower case): it opens the account only while the candidate's recorded
    # address is still this one. An address corrected since (a typo, a mailbox an intermediary kept) must
    # not let whoever reads the old one in.
    sent_to = models.EmailField(_("sent to"), blank=True, default="")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = CandidateInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate invitation")
        verbose_name_plural = _("candidate invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="candidate_invitation_expires_after_creation",
            ),
            # A link is spent once: used or superseded, never both.
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(superseded_at__isnull=True),
                name="candidate_invitation_used_or_superseded",
            ),
            # At most one open link per candidate (two concurrent invitations: the second one fails).
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(used_at__isnull=True, superseded_at__isnull=True),
                name="candidate_invitation_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.public_id}"

    def addressed_to_current(self) -> bool:
        """Whether the candidate's recorded address is still the one the link was sent to."""
        return bool(self.sent_to) and self.sent_to == self.candidate.email.strip().lower()


class CorrectionPart(models.TextChoices):
    IDENTITY = "identity", _("Identity and contact details")
    LANGUAGES = "languages", _("Languages")
    DIPLOMAS = "diplomas", _("Diplomas and recognition")
    EXPERIENCE = "experience", _("Work experience")
    SKILLS = "skills", _("Skills and licences")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Something else")


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Corrected")
    REJECTED = "rejected", _("Not corrected")


class CorrectionRequest(models.Model):
    """A candidate's request to correct their recorded profile (the right to rectification, art. 16
    GDPR): a task for the registering partner agency or a recruiter, who closes it with an answer.
    """

    Part = CorrectionPart
    Status = CorrectionStatus

    MESSAGE_MAX_LENGTH = 2000

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    part = models.CharField(_("part of the profile"), max_length=12, choices=Part.choices)
    message = models.TextField(_("what should be corrected"), max_length=MESSAGE_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    # When the candidate's agency was told of the request: the claim that sends its e-mail once, whichever
    # of its task or the sweeper gets there (candidate_space.services.corrections).
    notified_at = models.DateTimeField(_("agency told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CorrectionStatus.values), name="correction_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(part__in=CorrectionPart.values), name="correction_request_part_valid"
            ),
            # Open means not handled yet; a closed request says when it was handled.
            models.CheckConstraint(
                condition=Q(status="open", handled_at__isnull=True)
                | (~Q(status="open") & Q(handled_at__isnull=False)),
                name="correction_request_handled_when_closed",
            ),
            # A refusal must tell the candidate why.
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(answer=""),
                name="correction_request_rejection_has_answer",
                violation_error_message=_("Say why the profile is not corrected."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="correction_request_open"),
        ]

    def __str__(self) -> str:
        return f"correction request {self.public_id}"
