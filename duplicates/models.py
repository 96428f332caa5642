"""The review queue of probable duplicates, and the record of each merge.

Ids, scores and reason codes only: the names and dates compared are read from the candidates when a
person looks (nothing here needs erasing beyond the rows that point at an erased candidate).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.models import Organisation

# Who a merge may take (and so who is compared): not a restricted candidate (GDPR art. 18: not
# processed) nor an anonymised one (nobody left to compare).
MERGEABLE = (Candidate.Status.ACTIVE, Candidate.Status.PLACED, Candidate.Status.WITHDRAWN)
# Who detection compares and the queue shows: not a withdrawn candidate either (the agency withdrew them
# or they withdrew their consent to be visible: hidden from every list, so not looked for as a duplicate
# of anyone). A merge still takes one (a pair found before the withdrawal, decided on its page).
COMPARED = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)


class PairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not the same person")


class DuplicatePair(models.Model):
    """Two candidates that are probably one person, ordered by id (``low`` < ``high``), so a pair has
    one row whichever way it was found. A rejected pair stays, and is never proposed again: detection
    only ever updates an open row, and the unique pair stops a second one."""

    Status = PairStatus

    low = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="+"
    )
    high = models.ForeignKey(
        Candidate, verbose_name=_("other candidate"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    # Codes of duplicates.detection (name_same, birth_date_same, ...): the page words them.
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(_("status"), max_length=8, choices=PairStatus.choices, default=PairStatus.OPEN)
    detected_at = models.DateTimeField(_("detected at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate pair")
        verbose_name_plural = _("duplicate pairs")
        # Merging is irreversible (the merged-away record is anonymised): only staff holding this decide.
        permissions = [("merge_candidates", _("Can merge candidates and reject duplicate pairs"))]
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(low__lt=F("high")), name="duplicate_pair_ordered"),
            models.CheckConstraint(condition=Q(status__in=PairStatus.values), name="duplicate_pair_status"),
            models.CheckConstraint(condition=Q(score__lte=100), name="duplicate_pair_score"),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False)),
                name="duplicate_pair_decision_dated",
            ),
        ]
        indexes = [
            # The queue: open pairs, best first.
            models.Index(fields=["status", "-score", "id"], name="duplicate_pair_queue"),
            models.Index(fields=["high"], name="duplicate_pair_high"),
        ]

    def __str__(self) -> str:
        return f"{self.low_id} / {self.high_id} ({self.score}, {self.status})"


class CandidateMerge(models.Model):
    """One merge: what was kept, what the merged-away record was (its ids, kept here because the row
    itself is anonymised), who merged and when, and how many rows of each table moved, stayed behind
    (a unique rule, such as one case per vacancy, kept the kept record's own) or were dropped as an
    exact repeat of the kept record's (a language known twice)."""

    kept = models.ForeignKey(
        Candidate, verbose_name=_("kept candidate"), on_delete=models.CASCADE, related_name="+"
    )
    # The anonymised row that remains of the other record (empty once that row is erased itself).
    merged_away = models.ForeignKey(
        Candidate,
        verbose_name=_("merged-away candidate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_away_public_id = models.UUIDField(_("merged-away public id"), unique=True)
    merged_away_external_id = models.CharField(_("merged-away partner's reference"), max_length=64)
    merged_away_registered_by = models.ForeignKey(
        Organisation,
        verbose_name=_("merged-away record registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    pair = models.ForeignKey(
        DuplicatePair,
        verbose_name=_("pair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("merged at"))
    # {"app.Model": {"moved": n, "left": n, "dropped": n}}
    counts = models.JSONField(_("rows moved"), default=dict)

    class Meta:
        verbose_name = _("candidate merge")
        verbose_name_plural = _("candidate merges")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["kept"], name="candidate_merge_kept"),
            # A partner's lookup of its merged-away reference.
            models.Index(
                fields=["merged_away_registered_by", "merged_away_external_id"],
                name="candidate_merge_external",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_away_public_id} -> {self.kept_id}"
