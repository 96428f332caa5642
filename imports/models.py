"""An import: the uploaded file while it is needed, its progress, and its report.

``ImportJob`` has the shape of ``core.models.BackgroundJob`` that the progress bar reads (``status``,
``done``, ``total``, ``percent``, ``error``), with what an import needs besides: the organisation it
belongs to (another organisation's job is a 404), the bytes of the file (deleted as soon as the import
ends, done or failed: the file holds personal data) and the report (row numbers, column names and what
was wrong; never a cell's value).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJobStatus, Organisation, User
from vacancies.models import Vacancy


class ImportKind(models.TextChoices):
    CANDIDATES = "candidates", _("Candidates")
    VACANCIES = "vacancies", _("Vacancies")


class ImportArea(models.TextChoices):
    """The pages an import was started from, and whose rules it follows."""

    RECRUITER = "recruiter", _("Public employment service")
    PARTNER = "partner", _("Partner agency")
    EMPLOYER = "employer", _("Employer")


class ImportJob(models.Model):
    Kind = ImportKind
    Area = ImportArea
    Status = BackgroundJobStatus

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    area = models.CharField(_("area"), max_length=10, choices=ImportArea.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    language = models.CharField(_("language of the report"), max_length=2)
    status = models.CharField(
        _("status"), max_length=10, choices=BackgroundJobStatus.choices, default=BackgroundJobStatus.PENDING
    )
    # The uploaded file, only until the import ends (then emptied: privacy by design).
    content = models.BinaryField(_("uploaded file"), null=True, blank=True, editable=False)
    file_format = models.CharField(_("file format"), max_length=4, blank=True)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    done = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # What was wrong: [{"row": 3, "column": "Geboortedatum", "message": "..."}] (row 0: the whole file).
    problems = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=100, blank=True)  # an exception class name only

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="import_job_done_le_total"),
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="import_job_kind_valid"),
            models.CheckConstraint(condition=Q(area__in=ImportArea.values), name="import_job_area_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done}/{self.total} ({self.status})"

    @property
    def percent(self) -> int:
        """Whole percent done, for the progress bar (``BackgroundJob.percent``)."""
        return 100 if self.total == 0 else (100 * self.done) // self.total

    @property
    def succeeded(self) -> bool:
        return self.status == BackgroundJobStatus.DONE and not self.problems


class ImportedVacancy(models.Model):
    """Which vacancy an organisation's file means by its own reference: a vacancy has no external id of
    its own, and a second upload of the same reference must update it, never add another."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    external_id = models.CharField(_("reference"), max_length=64)
    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("imported vacancy")
        verbose_name_plural = _("imported vacancies")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "external_id"], name="imported_vacancy_unique"),
        ]

    def __str__(self) -> str:
        return self.external_id
