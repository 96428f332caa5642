"""Stored matches and the jobs that compute them (docs/adr/0003-match-recompute.md).

``Match`` rows are derived data: the recompute may insert, rewrite or delete them at any time. Human work
(shortlists, employer decisions, notes: ``recruitment.models.placements``) lives in tables of its own that
refer to the vacancy and the candidate, never to a ``Match`` row, so no recompute can change or delete it.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from recruitment.matching.codes import reason_codes
from vacancies.models import Vacancy


class MatchOutcome(models.TextChoices):
    """Only what is shown is stored: an ineligible pair has no row."""

    ELIGIBLE = "eligible", _("Eligible")
    CONDITIONAL = "conditional", _("Conditional (closable gaps)")


class MatchQuerySet(models.QuerySet["Match"]):
    def ranked(self) -> "MatchQuerySet":
        return self.order_by("-score", "candidate_id")

    def eligible(self) -> "MatchQuerySet":
        return self.filter(outcome=MatchOutcome.ELIGIBLE)

    def conditional(self) -> "MatchQuerySet":
        return self.filter(outcome=MatchOutcome.CONDITIONAL)


class Match(models.Model):
    """The stored result of the matching core for one (vacancy, candidate) pair, in compact form.

    What a list needs to rank, filter and count (outcome, score), and which conditions failed and which
    permit routes are open, as bits (``recruitment.matching.codes``): about 100 bytes a row. The full
    explanation (every reason with the values compared, the score per criterion) is rebuilt by the scalar
    core for the rows a page shows (``recruitment.full_results``), and frozen on the case when a
    person acts on it (``PlacementTransition.explanation``).

    One row per pair (a unique constraint). A recompute writes a row only when its content changed, so
    the versions, the reference date and ``computed_at`` are those of the last write that changed it.
    """

    Outcome = MatchOutcome

    # No single-column index on either key: the unique pair (vacancy first) and (candidate, outcome) cover
    # them, and at twelve million rows every index is paid on each insert (docs/adr/0008).
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="matches", db_index=False)
    # CASCADE: erasing a candidate (GDPR) erases the derived rows about them.
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="matches", db_index=False)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    reason_bits = models.BigIntegerField(
        _("reason codes"), default=0, help_text=_("The conditions that failed, one bit per reason code.")
    )
    route_bits = models.SmallIntegerField(
        _("permit routes"),
        default=0,
        help_text=_("Two bits per permit route: passes, can be opened, closed."),
    )
    algorithm_version = models.CharField(_("algorithm version"), max_length=20)
    vacancy_version = models.PositiveIntegerField(_("vacancy criteria version"))
    candidate_version = models.PositiveIntegerField(_("candidate profile version"))
    reference_date = models.DateField(_("reference date"))
    computed_at = models.DateTimeField(_("computed at"))
    # Moves only when the outcome or the score changes (a change of the reasons alone rewrites the row but
    # is not news for a recruiter's dashboard).
    changed_at = models.DateTimeField(_("outcome or score changed at"), null=True, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="match_unique_pair"),
            models.CheckConstraint(condition=Q(outcome__in=MatchOutcome.values), name="match_outcome_valid"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="match_score_0_to_100"),
        ]
        indexes = [
            # The recruiter's list: a vacancy's matches of one outcome, best first.
            models.Index("vacancy", "outcome", models.F("score").desc(), name="match_vacancy_ranked"),
            # The reverse direction: the open vacancies one candidate matches.
            models.Index(fields=["candidate", "outcome"], name="match_candidate_outcome"),
            # A partner's changes since a moment (GET /matches/?updated_since=). The dashboard reads
            # MatchChangeCount, not changed_at: one index of this size is enough (each costs every write).
            models.Index(fields=["computed_at"], name="match_computed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} × {self.candidate_id}: {self.outcome} {self.score}"

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return reason_codes(self.reason_bits)


class MatchChangeCount(models.Model):
    """How many of a vacancy's matches became new or changed (outcome or score) in one hour.

    The recruiter's dashboard shows what changed since a visit. Counting ``Match`` rows by their
    ``changed_at`` reads every row a daily pass moved (millions in a week at 100k candidates); these
    counters are kept by the recompute in the transaction that writes the matches
    (``recruitment.services.upsert.match_changes_record``), one row per vacancy and hour, so the
    dashboard reads a few thousand small rows. A pair changed twice counts twice: these are changes,
    not distinct matches. Pruned after ``MATCH_CHANGE_RETENTION_DAYS`` by the sweeper.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+", db_index=False)
    hour = models.DateTimeField(_("hour"), help_text=_("The start of the hour the changes were written in."))
    eligible = models.PositiveIntegerField(_("eligible matches new or changed"), default=0)
    conditional = models.PositiveIntegerField(_("near-misses new or changed"), default=0)
    latest = models.DateTimeField(_("last change"))

    class Meta:
        verbose_name = _("match change count")
        verbose_name_plural = _("match change counts")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "hour"], name="match_change_count_unique_hour"),
        ]
        indexes = [models.Index(fields=["hour"], name="match_change_count_hour")]

    def __str__(self) -> str:
        return f"{self.vacancy_id} at {self.hour}: {self.eligible} eligible, {self.conditional} near-misses"


class VacancyMatchCount(models.Model):
    """How many eligible matches and near-misses a vacancy has now: what its list rows and the dashboard
    show, without counting tens of thousands of ``Match`` rows per vacancy on each page view.

    Kept by the recompute in the transaction that writes the matches (``recruitment.services.upsert``):
    a vacancy's recompute counts its rows afresh under its row lock (which also mends any drift, such
    as a candidate's erasure cascading to their matches); a candidate's recompute adds what it changed.
    No row: no match computed yet (zero).
    """

    vacancy = models.OneToOneField(
        Vacancy, on_delete=models.CASCADE, primary_key=True, related_name="match_count"
    )
    eligible = models.IntegerField(_("eligible matches"), default=0)
    conditional = models.IntegerField(_("near-misses"), default=0)

    class Meta:
        verbose_name = _("match count")
        verbose_name_plural = _("match counts")

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.eligible} eligible, {self.conditional} near-misses"


class MatchFacetKind(models.TextChoices):
    PROJECT = "project", _("Project")
    COHORT = "cohort", _("Cohort")
    COUNTRY = "country", _("Country of residence")


class VacancyMatchFacet(models.Model):
    """One value the vacancy page offers as a filter: a project, cohort or country of residence of a
    candidate among the vacancy's matches (``recruitment.services.match_facets``).

    Reading them from the matches joins tens of thousands of rows to their candidates on every page
    view; these rows are kept by the recompute instead. A vacancy's full recompute writes the exact set;
    a candidate's recompute adds its own values to the vacancies it matches, so a value can outlive the
    last match that had it until the vacancy's next full recompute (the filter then shows no match).
    """

    Kind = MatchFacetKind

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(
        _("value"), max_length=40, help_text=_("A project or cohort id, or a country code.")
    )

    class Meta:
        verbose_name = _("match filter value")
        verbose_name_plural = _("match filter values")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "kind", "value"], name="vacancy_match_facet_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} {self.kind}={self.value}"


class MatchRemoval(models.Model):
    """A stored match the recompute deleted: what a partner that keeps a copy needs to delete its own.

    Written by the recompute in the transaction that deletes the ``Match`` row, one row per pair, and
    pruned after ``MATCH_REMOVAL_RETENTION_DAYS`` by the sweeper: a partner asking for changes since an
    older moment is told to synchronise from scratch (``GET /matches/`` without ``updated_since``).
    Only ids and a time: no score, no reasons (the pair no longer matches).
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+", db_index=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+", db_index=False)
    removed_at = models.DateTimeField(_("removed at"))

    class Meta:
        verbose_name = _("removed match")
        verbose_name_plural = _("removed matches")
        indexes = [
            # A partner's changes since a moment: its candidates' removals, oldest first.
            models.Index(fields=["candidate", "removed_at"], name="match_removal_candidate"),
            # The sweeper's pruning and the cursor over all removals.
            models.Index(fields=["removed_at", "id"], name="match_removal_at"),
            # A vacancy's deletion cascades here: without it, a scan of every removal kept.
            models.Index(fields=["vacancy", "removed_at"], name="match_removal_vacancy"),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} × {self.candidate_id} removed at {self.removed_at}"


class MatchJobKind(models.TextChoices):
    VACANCY = "vacancy", _("One vacancy against all active candidates")
    CANDIDATE = "candidate", _("One candidate against all open vacancies")
    FULL = "full", _("Everything (an operator's request, fanned out into vacancy jobs)")


class MatchJobStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


OPEN_JOB_STATUSES = (MatchJobStatus.PENDING, MatchJobStatus.RUNNING)


class MatchJob(models.Model):
    """One recompute, from being queued to done or failed: the audit trail and the unit of claiming.

    A task message only carries the job's id. A worker may run the job only after claiming it with a
    conditional UPDATE (pending -> running, attempts + 1, a lease), so a message delivered twice runs
    once; a job whose worker died is found by its expired lease and re-queued by the sweeper, and it
    fails for good after ``MAX_ATTEMPTS`` (``recruitment.services.jobs``). ``error`` holds a code or an
    exception class name only: never a message, which could carry personal data.
    """

    Kind = MatchJobKind
    Status = MatchJobStatus

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, null=True, blank=True, related_name="match_jobs"
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="match_jobs"
    )
    target_version = models.PositiveIntegerField(
        _("target version"),
        default=0,
        help_text=_("The criteria or profile version current when the job was queued."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    # The process that claimed the job ("host:pid"): when a worker's pool process dies, the worker hands
    # back exactly the jobs that process held, instead of waiting for their leases (docs/adr/0009).
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("pending since"))
    sent_at = models.DateTimeField(_("last message sent at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    added = models.PositiveIntegerField(_("matches added"), default=0)
    updated = models.PositiveIntegerField(_("matches updated"), default=0)
    removed = models.PositiveIntegerField(_("matches removed"), default=0)
    unchanged = models.PositiveIntegerField(
        _("matches unchanged"),
        default=0,
        help_text=_("Pairs computed again to the stored result: not written."),
    )
    held = models.PositiveIntegerField(
        _("matches held back"),
        default=0,
        help_text=_("Pairs left to the other side's job because that side changed during this run."),
    )
    superseded = models.BooleanField(
        _("superseded"),
        default=False,
        help_text=_("The subject changed during the run: the result was dropped for a newer job."),
    )
    error = models.CharField(_("error"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("match job")
        verbose_name_plural = _("match jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MatchJobKind.values), name="match_job_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=MatchJobStatus.values), name="match_job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="vacancy", vacancy__isnull=False, candidate__isnull=True)
                | Q(kind="candidate", candidate__isnull=False, vacancy__isnull=True)
                | Q(kind="full", vacancy__isnull=True, candidate__isnull=True),
                name="match_job_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status="running") | Q(lease_expires_at__isnull=False),
                name="match_job_running_has_lease",
            ),
            # At most one open job per subject: a second change while one is queued or running joins it
            # (the job reads the current version when it runs).
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(status__in=["pending", "running"], vacancy__isnull=False),
                name="match_job_one_open_per_vacancy",
            ),
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status__in=["pending", "running"], candidate__isnull=False),
                name="match_job_one_open_per_candidate",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "lease_expires_at"], name="match_job_status_lease"),
            models.Index(fields=["vacancy", "status"], name="match_job_vacancy_status"),
            models.Index(fields=["candidate", "status"], name="match_job_candidate_status"),
        ]

    def __str__(self) -> str:
        subject = self.vacancy_id if self.kind == MatchJobKind.VACANCY else self.candidate_id
        return f"{self.get_kind_display()} {subject or ''} ({self.status})"
