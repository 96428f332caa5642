"""Labour-mobility projects (Palim, MATCH, Aurora, ...), their partners, funding, cohorts and programmes.

Each project has its own funnel; documented results are stored as dated records with their source
(``FunnelRecord``), never as constants, because sources disagree (domain.md section 0).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import CEFRLevel
from core.models import Organisation
from core.validators import validate_country_list
from reference.models import EscoOccupation


class ProjectQuerySet(models.QuerySet["Project"]):
    def for_partner(self, organisation: Organisation) -> "ProjectQuerySet":
        return self.filter(partnerships__organisation=organisation).distinct()


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    origin_countries = models.JSONField(
        _("origin countries"), default=list, validators=[validate_country_list]
    )
    destination_countries = models.JSONField(
        _("destination countries"), default=list, validators=[validate_country_list]
    )
    destination_regions = models.JSONField(
        _("destination regions"), default=list, blank=True, help_text=_("Belgian regions, e.g. VLG.")
    )
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    target_occupations = models.ManyToManyField(
        EscoOccupation, blank=True, related_name="projects", verbose_name=_("target occupations")
    )
    starts_on = models.DateField(
        _("starts on"), null=True, blank=True, help_text=_("Empty when no source gives it.")
    )
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    budget_eur = models.DecimalField(
        _("budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_beneficiaries = models.PositiveIntegerField(
        _("target number of beneficiaries"), null=True, blank=True
    )
    target_women_percent = models.PositiveSmallIntegerField(
        _("target share of women (%)"), null=True, blank=True
    )
    sources = models.TextField(_("sources"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="project_period_ordered",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0),
                name="project_budget_positive",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(target_women_percent__isnull=True) | Q(target_women_percent__lte=100),
                name="project_women_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "running", "ended"]), name="project_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectPartner(models.Model):
    """An organisation's role in a project. Partner agencies see the vacancies open to their projects."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        IMPLEMENTING = "implementing", _("Implementing partner")
        ORIGIN_PES = "origin_pes", _("Employment service in the country of origin")
        DESTINATION_PES = "destination_pes", _("Employment service in the destination")
        EMPLOYER_FEDERATION = "employer_federation", _("Employer federation")
        EMPLOYER = "employer", _("Employer")
        TRAINING = "training", _("Training provider")
        RECRUITMENT_AGENCY = "recruitment_agency", _("Recruitment agency")
        SUPPORT = "support", _("Support")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    no_fee_attested_on = models.DateField(
        _("no-fee attestation signed on"),
        null=True,
        blank=True,
        help_text=_("Partners and sub-agents attest per project that candidates are charged no fee."),
    )

    class Meta:
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"], name="project_partner_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectFunding(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    funder = models.CharField(_("funder"), max_length=200)
    funder_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="fundings"
    )
    amount_eur = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("project funding")
        verbose_name_plural = _("project fundings")
        constraints = [
            models.UniqueConstraint(fields=["project", "funder"], name="funding_unique_funder"),
            models.CheckConstraint(
                condition=Q(amount_eur__isnull=True) | Q(amount_eur__gte=0), name="funding_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True) | Q(share_percent__gte=0, share_percent__lte=100),
                name="funding_share_range",
            ),
        ]

    def __str__(self) -> str:
        return self.funder


class Cohort(models.Model):
    """An intake wave of a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    planned_size = models.PositiveIntegerField(_("planned size"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["project", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="cohort_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="cohort_period_ordered",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.name}"


class TrainingProgramme(models.Model):
    """The pre-departure programme: Dutch to a target level, civic orientation, soft skills (seed doc)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="programmes")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    dutch_target_level = models.CharField(
        _("Dutch target level (CEFR)"), max_length=2, choices=CEFRLevel.choices, blank=True
    )
    dutch_target_nt2 = models.CharField(
        _("Dutch target level (NT2)"), max_length=5, blank=True, help_text=_("e.g. 2.4")
    )
    includes_civic_orientation = models.BooleanField(_("civic orientation"), default=False)
    includes_soft_skills = models.BooleanField(_("soft skills"), default=False)
    includes_technical_training = models.BooleanField(_("technical training"), default=False)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    in_country_of_origin = models.BooleanField(_("in the country of origin"), default=True)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="programme_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class FunnelRecord(models.Model):
    """A documented count at one funnel stage of a project or cohort, with its source.

    Live funnels are computed from placements (recruitment app); these records hold what public
    sources report, including the figures they disagree on (``verified``).
    """

    class Stage(models.TextChoices):
        APPLIED = "applied", _("Applied")
        TESTED = "tested", _("Tested")
        SELECTED = "selected", _("Selected")
        TRAINED = "trained", _("Trained")
        COMPLETED_TRAINING = "completed_training", _("Completed training")
        RECRUITMENT_STARTED = "recruitment_started", _("Recruitment processes started")
        PLACED = "placed", _("Placed with an employer")
        HIRED = "hired", _("Hired")
        ARRIVED = "arrived", _("Arrived")
        EMPLOYED = "employed", _("Employed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funnel_records")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="funnel_records"
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    count = models.PositiveIntegerField(_("count"))
    as_of = models.DateField(_("as of"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    verified = models.BooleanField(_("verified"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("funnel record")
        verbose_name_plural = _("funnel records")
        ordering = ["project", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage", "source"], name="funnel_record_unique_per_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}: {self.count}"


class FunnelStep(models.TextChoices):
    """The steps of a project's live funnel, in order (computed from candidates and placements)."""

    REGISTERED = "registered", _("Registered")
    TRAINED = "trained", _("Trained")
    MATCHED = "matched", _("Matched")
    PROPOSED = "proposed", pgettext_lazy("funnel step", "Proposed")
    INTERVIEWED = "interviewed", _("Interviewed")
    OFFERED = "offered", _("Offered a job")
    PERMIT_FILED = "permit_filed", _("Single permit filed")
    PERMIT_GRANTED = "permit_granted", _("Single permit granted")
    ARRIVED = "arrived", _("Arrived")
    STARTED = "started", _("Started work")
    EMPLOYED_6M = "employed_6m", _("Still employed after 6 months")
    EMPLOYED_12M = "employed_12m", _("Still employed after 12 months")


class FunnelTarget(models.Model):
    """How many candidates a project (or one of its cohorts) aims to bring to a funnel step."""

    Step = FunnelStep

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funnel_targets")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="funnel_targets"
    )
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    count = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("funnel target")
        verbose_name_plural = _("funnel targets")
        ordering = ["project", "cohort", "step"]
        constraints = [
            models.CheckConstraint(condition=Q(step__in=FunnelStep.values), name="funnel_target_step_valid"),
            models.UniqueConstraint(
                fields=["project", "step"],
                condition=Q(cohort__isnull=True),
                name="funnel_target_one_per_project_step",
            ),
            models.UniqueConstraint(
                fields=["cohort", "step"],
                condition=Q(cohort__isnull=False),
                name="funnel_target_one_per_cohort_step",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_step_display()}: {self.count}"

    def clean(self) -> None:
        if self.cohort is not None and self.cohort.project_id != self.project_id:
            raise ValidationError({"cohort": _("This cohort belongs to another project.")})
