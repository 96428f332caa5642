"""Recruiters' notes on a candidate: human work, visible to the public employment service's staff only."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from recruitment.models.placements import Placement

NOTE_MAX_LENGTH = 4000


class CandidateNote(models.Model):
    """A dated note by a recruiter about a candidate, optionally about one of their cases.

    Notes are never shown to employers or partner agencies (they are the recruiter's working memory), and
    they go with the candidate when the candidate is erased.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="notes"
    )
    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="candidate_note_not_empty"),
        ]
        indexes = [models.Index(fields=["candidate", "-created_at"], name="candidate_note_recent")]

    def __str__(self) -> str:
        return f"{self.candidate} {self.created_at:%Y-%m-%d}"
