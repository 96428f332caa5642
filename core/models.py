"""Organisations, their users and roles: who may see and do what starts here."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import Region
from core.validators import validate_country_code, validate_enterprise_number


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def employers(self) -> "OrganisationQuerySet":
        return self.filter(kind=Organisation.Kind.EMPLOYER)

    def partners(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=Organisation.PARTNER_KINDS)

    def in_good_standing(self) -> "OrganisationQuerySet":
        return self.filter(
            compliance_status__in=[Organisation.Compliance.OK, Organisation.Compliance.UNDER_REVIEW]
        )


class OrganisationKind(models.TextChoices):
    PES = "pes", _("Public employment service")
    EMPLOYER = "employer", _("Employer")
    PARTNER_AGENCY = "partner_agency", _("Partner agency")
    INTERNATIONAL = "international", _("International organisation")
    TRAINING_PROVIDER = "training_provider", _("Training provider")
    EMPLOYER_FEDERATION = "employer_federation", _("Employer federation")
    FUNDER = "funder", _("Funder")


class ComplianceStatus(models.TextChoices):
    OK = "ok", _("In good standing")
    UNDER_REVIEW = "under_review", _("Under review")
    SUSPENDED = "suspended", _("Suspended")
    EXCLUDED = "excluded", _("Excluded")


class Organisation(models.Model):
    """Any organisation taking part: the public employment service, employers, partner agencies abroad.

    Employers carry what the Flemish permit rules look at (domain.md 1.4, 5.3): enterprise number,
    region of establishment, founding date and headcount (refusal grounds), joint committee.
    """

    Kind = OrganisationKind

    Compliance = ComplianceStatus

    # Organisations that register candidates and connect through the API.
    PARTNER_KINDS = (Kind.PARTNER_AGENCY, Kind.INTERNATIONAL, Kind.TRAINING_PROVIDER)

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    enterprise_number = models.CharField(
        _("enterprise number"),
        max_length=12,
        blank=True,
        validators=[validate_enterprise_number],
        help_text=_("Belgian enterprise number (KBO/BCE), e.g. 0123.456.789."),
    )
    region = models.CharField(_("region"), max_length=3, choices=Region.choices, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    joint_committee = models.CharField(_("joint committee"), max_length=20, blank=True)
    licence_number = models.CharField(
        _("mediation licence"),
        max_length=60,
        blank=True,
        help_text=_("Private employment mediation or agency licence, where the organisation needs one."),
    )
    fair_recruitment_attested_on = models.DateField(
        _("fair-recruitment attestation signed on"), null=True, blank=True
    )
    compliance_status = models.CharField(
        _("compliance status"), max_length=20, choices=Compliance.choices, default=Compliance.OK
    )
    suspension_reason = models.TextField(_("reason for suspension or exclusion"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(compliance_status__in=ComplianceStatus.values),
                name="organisation_compliance_valid",
            ),
            models.CheckConstraint(
                condition=~Q(compliance_status__in=["suspended", "excluded"]) | ~Q(suspension_reason=""),
                name="organisation_suspension_has_reason",
                violation_error_message=_("A suspended or excluded organisation needs a reason."),
            ),
            # A Belgian employer must say in which region it is established: the region decides
            # which permit rules apply.
            models.CheckConstraint(
                condition=~Q(kind="employer", country="BE") | ~Q(region=""),
                name="organisation_belgian_employer_has_region",
                violation_error_message=_(
                    "A Belgian employer needs its region: the region decides the permit rules."
                ),
            ),
            models.CheckConstraint(
                condition=Q(region="") | Q(country="BE"),
                name="organisation_region_only_in_belgium",
                violation_error_message=_("Only a Belgian organisation has a Belgian region."),
            ),
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_per_country"),
            models.UniqueConstraint(
                fields=["enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="organisation_enterprise_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(headcount__isnull=True) | Q(headcount__gte=0),
                name="organisation_headcount_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_suspended(self) -> bool:
        return self.compliance_status in (self.Compliance.SUSPENDED, self.Compliance.EXCLUDED)


class UserRole(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    PROJECT_COORDINATOR = "project_coordinator", _("Project coordinator")
    EMPLOYER_USER = "employer_user", _("Employer user")
    PARTNER_USER = "partner_user", _("Partner user")
    ADMINISTRATOR = "administrator", _("Administrator")
    # A candidate signing in to their own space (issue 14): a person, not a member of any organisation.
    CANDIDATE = "candidate", _("Candidate")


class User(AbstractUser):
    """A person who signs in. Every user but a platform administrator or a candidate belongs to one
    organisation; a candidate never does (they see only their own data, through candidate_space)."""

    Role = UserRole

    # Which kinds of organisation each role may belong to.
    ROLE_ORGANISATION_KINDS: dict[str, tuple[str, ...]] = {
        Role.RECRUITER: (Organisation.Kind.PES,),
        Role.PROJECT_COORDINATOR: (
            Organisation.Kind.PES,
            Organisation.Kind.INTERNATIONAL,
            Organisation.Kind.PARTNER_AGENCY,
        ),
        Role.EMPLOYER_USER: (Organisation.Kind.EMPLOYER,),
        Role.PARTNER_USER: Organisation.PARTNER_KINDS,
        Role.ADMINISTRATOR: tuple(Organisation.Kind.values),
        Role.CANDIDATE: (),
    }

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        default="nl",
        choices=[("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=UserRole.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=Q(role__in=["administrator", "candidate"]) | Q(organisation__isnull=False),
                name="user_non_admin_has_organisation",
                violation_error_message=_(
                    "Every user but an administrator or a candidate belongs to an organisation."
                ),
            ),
            # A candidate signing in must never inherit an organisation's scope (and with it the data
            # of other candidates): the database refuses the combination outright.
            models.CheckConstraint(
                condition=~Q(role="candidate") | Q(organisation__isnull=True),
                name="user_candidate_has_no_organisation",
                violation_error_message=_("A candidate does not belong to an organisation."),
            ),
            # Nor may a candidate open the administration or the staff pages.
            models.CheckConstraint(
                condition=~Q(role="candidate") | Q(is_staff=False, is_superuser=False),
                name="user_candidate_not_staff",
                violation_error_message=_("A candidate cannot be staff or a superuser."),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.role == UserRole.CANDIDATE and self.organisation is not None:
            raise ValidationError({"organisation": _("A candidate does not belong to an organisation.")})
        if self.organisation is not None and self.role:
            allowed = self.ROLE_ORGANISATION_KINDS.get(self.role, ())
            if self.organisation.kind not in allowed:
                raise ValidationError(
                    {
                        "role": _("A %(role)s cannot belong to an organisation of this kind.")
                        % {"role": self.get_role_display()}
                    }
                )


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the beat heartbeat: operators see whether workers are alive."""

    worker = models.CharField(_("worker"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("last seen at"))
    beats = models.PositiveBigIntegerField(_("heartbeats"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker


class BackgroundJobKind(models.TextChoices):
    BULK_RECOMPUTE = "bulk_recompute", _("Recompute the matches of several vacancies")


class BackgroundJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundJob(models.Model):
    """Long work started from a page (a bulk recompute; later, imports), as one row the page polls.

    The worker moves ``done`` towards ``total`` as it goes; the progress bar is ``done / total``. Only the
    user who started a job, or staff, may see it (``error`` holds a code, never a message with data).
    """

    Kind = BackgroundJobKind
    Status = BackgroundJobStatus

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        "core.User",
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the job works through (e.g. vacancy ids): ids only, never personal data.
    subject_ids = models.JSONField(_("subjects"), default=list, blank=True)
    total = models.PositiveIntegerField(_("steps in all"), default=0)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BackgroundJobKind.values), name="background_job_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BackgroundJobStatus.values), name="background_job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="background_job_done_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done}/{self.total} ({self.status})"

    @property
    def percent(self) -> int:
        """Whole percent done, for the progress bar; an empty job is complete."""
        return 100 if self.total == 0 else (100 * self.done) // self.total
