"""The candidate: minimal identity, permit facts, availability and preferences."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import Language
from core.models import Organisation
from core.validators import validate_country_code, validate_country_list, validate_https_url
from projects.models import Cohort, Project
from reference.models import EscoOccupation

# Written only by the version service and the recompute, never by ``save()`` of an existing candidate
# (it could write back a stale value and hide a change from the recompute).
PROFILE_VERSION_FIELDS = ("profile_version", "matched_version")


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def visible(self) -> "CandidateQuerySet":
        """Candidates that may appear anywhere: not withdrawn, restricted or anonymised."""
        return self.filter(status=Candidate.Status.ACTIVE)

    def registered_by(self, organisation: Organisation) -> "CandidateQuerySet":
        return self.filter(registered_by=organisation)


class Candidate(models.Model):
    """A person from outside the EU looking for work in Flanders.

    Data minimisation: nationality and date of birth are kept for permit eligibility only (the
    third-country test and the reduced salary threshold under 30); they are never scoring features.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        PLACED = "placed", _("Placed")
        ANONYMISED = "anonymised", _("Anonymised")
        # GDPR art. 18: the data is kept (stored only) but not processed: out of matching and every list.
        RESTRICTED = "restricted", _("Restricted")

    class Sex(models.TextChoices):
        """Self-declared, optional; blank means not declared (docs/fairness.md)."""

        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "x", _("Other (X)")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    registered_by = models.ForeignKey(
        Organisation,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="registered_candidates",
    )
    external_id = models.CharField(
        _("partner's reference"),
        max_length=64,
        help_text=_("The registering partner's own id for this candidate."),
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
    )

    # Identity, minimised.
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language of communication"),
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
    )
    # Permit eligibility only.
    date_of_birth = models.DateField(
        _("date of birth"), help_text=_("Used only to pick the legal salary threshold.")
    )
    nationalities = models.JSONField(
        _("nationalities"),
        default=list,
        validators=[validate_country_list],
        help_text=_("Used only to decide whether a single permit is needed."),
    )
    # Fairness monitoring only (docs/fairness.md): never read by matching, never shown to employers.
    sex = models.CharField(
        _("sex"),
        max_length=6,
        choices=Sex.choices,
        blank=True,
        default="",
        help_text=_(
            "Optional and self-declared. Stored only to monitor the fairness of selections; "
            "never used in matching."
        ),
    )
    country_of_residence = models.CharField(
        _("country of residence"), max_length=2, validators=[validate_country_code]
    )
    currently_in_belgium = models.BooleanField(_("currently in Belgium"), default=False)
    passport_valid_until = models.DateField(_("passport valid until"), null=True, blank=True)

    # Availability and preferences.
    available_from = models.DateField(_("available from"), null=True, blank=True)
    desired_occupations = models.ManyToManyField(
        EscoOccupation, blank=True, related_name="desiring_candidates", verbose_name=_("desired occupations")
    )
    preferred_regions = models.JSONField(_("preferred regions"), default=list, blank=True)
    preferred_sectors = models.JSONField(_("preferred sectors"), default=list, blank=True)
    relocating_with_family = models.BooleanField(_("relocating with family"), default=False)
    # A link to a video the candidate recorded (selection/, docs/pathways/selection.md): never an upload.
    # Shown to an employer only while the candidate consents to it for that employer
    # (``Consent.Purpose.VIDEO_CV_WITH_EMPLOYER``, read by ``recruitment.selectors.video_cv``).
    video_cv_url = models.URLField(
        _("video CV (link)"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("An https link to a video the candidate recorded; employers see it only with consent."),
    )
    accepts_entry_role_during_recognition = models.BooleanField(
        _("accepts an entry role while the diploma is being recognised"),
        default=False,
        help_text=_("For example a nurse working as a care assistant (the Aurora pattern)."),
    )

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # When the current restriction began (``candidates.services.candidate_restrict``); kept after it is
    # lifted as the date of the last one.
    restricted_at = models.DateTimeField(_("restricted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Every edit of the profile or of what hangs from it (languages, diplomas, consents, ...) bumps
    # ``profile_version`` in its own transaction (``candidates.services.candidate_profile_changed``);
    # the candidate-side recompute stamps ``matched_version`` (docs/adr/0003-match-recompute.md).
    profile_version = models.PositiveIntegerField(_("profile version"), default=1, editable=False)
    matched_version = models.PositiveIntegerField(_("matched version"), default=0, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["registered_by", "external_id"], name="candidate_external_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(cohort__isnull=True) | Q(project__isnull=False),
                name="candidate_cohort_has_project",
                violation_error_message=_("A candidate in a cohort must also be in the cohort's project."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "withdrawn", "placed", "anonymised", "restricted"]),
                name="candidate_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="candidate_withdrawal_dated",
                violation_error_message=_("A withdrawn candidate needs the date of withdrawal."),
            ),
            models.CheckConstraint(
                condition=~Q(status="restricted") | Q(restricted_at__isnull=False),
                name="candidate_restriction_dated",
                violation_error_message=_("A restricted candidate needs the date of the restriction."),
            ),
            models.CheckConstraint(condition=~Q(external_id=""), name="candidate_external_id_not_empty"),
            models.CheckConstraint(
                condition=Q(sex__in=["", "female", "male", "x"]), name="candidate_sex_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "available_from"], name="candidate_status_available"),
            # The recruiter's candidate search, in its default order: a page is read off the index.
            models.Index(fields=["status", "family_name", "given_name", "id"], name="candidate_status_name"),
            # A partner's own candidates by name (its pages and API list).
            models.Index(
                fields=["registered_by", "family_name", "given_name", "id"], name="candidate_partner_name"
            ),
            # How many of a partner's candidates its page lists, and their projects (the filter's
            # options): read off this index alone, not the partner's share of the table (issue 11).
            models.Index(fields=["registered_by", "project", "status"], name="candidate_partner_project"),
            # The sweeper's question "whose profile changed since their matches were computed?"
            models.Index(
                fields=["status"],
                condition=~Q(matched_version=F("profile_version")),
                name="candidate_match_stale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def clean(self) -> None:
        super().clean()
        if self.cohort is not None and self.cohort.project_id != self.project_id:
            raise ValidationError({"cohort": _("This cohort belongs to another project.")})
        registering_kinds = (*Organisation.PARTNER_KINDS, Organisation.Kind.PES)
        if self.registered_by_id and self.registered_by.kind not in registering_kinds:
            raise ValidationError({"registered_by": _("Candidates are registered by a partner or the PES.")})
