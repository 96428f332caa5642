"""Restrictions of processing (GDPR art. 18): when a candidate's data was set aside, by whom and why."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.models.profile import Candidate

REASON_MAX_LENGTH = 500


class RestrictionSource(models.TextChoices):
    """What set a restriction, where it decides who may lift it.

    ``visibility_withdrawn``: the candidate withdrew, in their space, their consent to be visible to the
    public employment service; giving that consent again lifts this restriction, and only this one
    (``candidate_space.services.consents``). ``other``: staff, or a request of the candidate (restriction,
    erasure): the ``reason`` says which, and only staff lift it.
    """

    OTHER = "other", _("Staff or a request (see the reason)")
    VISIBILITY_WITHDRAWN = "visibility_withdrawn", _("The candidate withdrew their visibility consent")


class CandidateRestriction(models.Model):
    """One restriction of a candidate's data, from ``restricted_at`` until it is lifted (``lifted_at``).

    While it lasts the candidate's status is ``restricted``: the data is stored, not processed (out of
    matching, every list, the employer's and the partner's view). ``previous_status`` is the status the
    lifting returns to (active, placed, or withdrawn: lifting never makes a withdrawn candidate active).
    Written only by ``candidates.services.restriction``; at most one open restriction per candidate.
    The ``reason`` is staff's free text: erased with the candidate. ``source`` says what set it (see
    ``RestrictionSource``).
    """

    Source = RestrictionSource

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="restrictions"
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    source = models.CharField(
        _("source"), max_length=24, choices=RestrictionSource.choices, default=RestrictionSource.OTHER
    )
    previous_status = models.CharField(_("status before the restriction"), max_length=12)
    restricted_at = models.DateTimeField(_("restricted at"))
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("restricted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        ordering = ["-restricted_at", "-pk"]
        constraints = [
            # Two concurrent restrictions of one candidate: the second is refused by the database.
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(lifted_at__isnull=True), name="restriction_one_open"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lifted_at__gte=F("restricted_at")),
                name="restriction_lifted_after_start",
            ),
            models.CheckConstraint(
                condition=Q(previous_status__in=["active", "placed", "withdrawn"]),
                name="restriction_previous_status",
            ),
            models.CheckConstraint(
                condition=Q(source__in=RestrictionSource.values), name="restriction_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.restricted_at:%Y-%m-%d}"
