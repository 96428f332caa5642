"""Employers' vacancies and their requirements: what matching compares candidates against."""

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import CEFR_CODES, CEFRLevel, Language, Region, region_for_postal_code
from core.models import Organisation
from projects.models import Project
from reference.models import EscoOccupation, EscoSkill, SalaryThreshold

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Columns only the version services and the recompute write (with UPDATE ... SET x = x + 1, or a stamp
# under a row lock). A ``save()`` of an existing vacancy leaves them out, or it could write back a value
# it read before a concurrent bump and so hide a change from the recompute.
MATCH_STAMP_FIELDS = (
    "criteria_version",
    "matched_version",
    "matched_basis",
    "matched_on",
    "near_miss_floor",
    "near_misses_unkept",
)


class VacancyQuerySet(models.QuerySet["Vacancy"]):
    def open(self) -> "VacancyQuerySet":
        return self.filter(status=Vacancy.Status.PUBLISHED)

    def for_employer(self, organisation: Organisation) -> "VacancyQuerySet":
        return self.filter(employer=organisation)

    def open_to_partner(self, organisation: Organisation) -> "VacancyQuerySet":
        return self.filter(open_to_projects__partnerships__organisation=organisation).distinct()


class Vacancy(models.Model):
    """A job an employer wants to fill, with what the permit routes and matching need (domain.md 8.1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    class Kind(models.TextChoices):
        """What the vacancy offers. An internship (a traineeship) has its own permit rules and its own case
        path through the internship, the return home and the follow-up (docs/pathways/internships.md)."""

        EMPLOYMENT = "employment", _("Employment")
        INTERNSHIP = "internship", _("Internship")

    class ContractType(models.TextChoices):
        INDEFINITE = "indefinite", _("Open-ended")
        FIXED_TERM = "fixed_term", _("Fixed-term")

    class PayCategory(models.TextChoices):
        UNSKILLED = "unskilled", _("Unskilled")
        SEMI_SKILLED = "semi_skilled", _("Semi-skilled")
        SKILLED = "skilled", _("Skilled (geschoold)")
        HIGHLY_SKILLED = "highly_skilled", _("Highly skilled")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(
        Organisation, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="vacancies"
    )
    occupation = models.ForeignKey(
        EscoOccupation,
        verbose_name=_("occupation (ESCO)"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    # Place of work: the region decides which permit rules apply.
    municipality = models.CharField(_("municipality"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=4)
    region = models.CharField(_("region"), max_length=3, choices=Region.choices)

    # Requirements.
    function_vks_level = models.PositiveSmallIntegerField(
        _("function level (VKS)"),
        help_text=_("Highly skilled route: the function itself must be VKS 5 or higher since 2026."),
    )
    min_isced_level = models.PositiveSmallIntegerField(
        _("minimum education level (ISCED)"), null=True, blank=True
    )
    min_experience_years = models.DecimalField(
        _("minimum experience (years)"), max_digits=4, decimal_places=1, default=Decimal(0)
    )
    skills = models.ManyToManyField(
        EscoSkill, through="VacancySkill", related_name="vacancies", verbose_name=_("skills")
    )

    # Terms: the gross annual amount is the legal input; the monthly one is derived (÷ 13.92).
    gross_annual_salary_eur = models.DecimalField(
        _("gross annual salary (EUR)"), max_digits=10, decimal_places=2
    )
    joint_committee = models.CharField(_("joint committee"), max_length=20, blank=True)
    pay_category = models.CharField(_("pay category"), max_length=16, choices=PayCategory.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EMPLOYMENT)
    contract_type = models.CharField(_("contract type"), max_length=12, choices=ContractType.choices)
    contract_months = models.PositiveSmallIntegerField(_("contract duration (months)"), null=True, blank=True)
    weekly_hours = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, default=Decimal(38)
    )
    positions = models.PositiveSmallIntegerField(_("number of positions"), default=1)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    is_secondment = models.BooleanField(_("secondment"), default=False)

    # The labour-market test of the "other" route needs both publication dates.
    vdab_published_on = models.DateField(_("published on VDAB on"), null=True, blank=True)
    eures_published_on = models.DateField(_("published on EURES on"), null=True, blank=True)

    # What the employer pays (fair recruitment: the candidate never pays).
    employer_pays_travel = models.BooleanField(_("employer pays travel"), default=False)
    employer_pays_visa = models.BooleanField(_("employer pays visa and permit"), default=False)
    employer_pays_housing = models.BooleanField(_("employer pays or arranges housing"), default=False)
    employer_pays_attested = models.BooleanField(_("employer-pays attestation signed"), default=False)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    open_to_projects = models.ManyToManyField(
        Project, blank=True, related_name="vacancies", verbose_name=_("open to projects")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # What the stored matches were computed from (docs/adr/0003-match-recompute.md). Every change that
    # can alter a match bumps ``criteria_version`` in its own transaction (``vacancies.services``); the
    # recompute stamps the version it computed and its basis (algorithm version, reference date and a
    # fingerprint of the reference data). Never written by ``save()`` of an existing row: see
    # ``MATCH_STAMP_FIELDS``.
    criteria_version = models.PositiveIntegerField(_("criteria version"), default=1, editable=False)
    matched_version = models.PositiveIntegerField(_("matched version"), default=0, editable=False)
    matched_basis = models.CharField(_("matches computed on"), max_length=80, blank=True, editable=False)
    # The reference date the matches hold for: a new day re-evaluates only what a date can change
    # (docs/adr/0008-matching-at-national-scale.md).
    matched_on = models.DateField(_("matches hold on"), null=True, blank=True, editable=False)
    # How many near-misses are stored (ADR 0008, "how much is stored"): those scoring at least this many
    # cents. A full recompute sets it to the setting's minimum, or higher when more near-misses than
    # ``MATCH_NEAR_MISS_LIMIT`` reach it; every writer of the vacancy's pairs applies it under its lock.
    near_miss_floor = models.PositiveIntegerField(
        _("near-misses kept from (cents)"), default=0, editable=False
    )
    # The near-misses below that floor at the last full recompute: not stored, counted for the page.
    near_misses_unkept = models.PositiveIntegerField(_("near-misses not kept"), default=0, editable=False)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["employment", "internship"]), name="vacancy_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "filled", "closed"]),
                name="vacancy_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(region__in=[r.value for r in Region]), name="vacancy_region_valid"
            ),
            models.CheckConstraint(
                condition=Q(function_vks_level__gte=1, function_vks_level__lte=8), name="vacancy_vks_1_to_8"
            ),
            models.CheckConstraint(
                condition=Q(min_isced_level__isnull=True) | Q(min_isced_level__lte=8),
                name="vacancy_isced_0_to_8",
            ),
            models.CheckConstraint(
                condition=Q(gross_annual_salary_eur__gt=0),
                name="vacancy_salary_positive",
                violation_error_message=_("The salary must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(min_experience_years__gte=0), name="vacancy_experience_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0, weekly_hours__lte=50),
                name="vacancy_hours_range",
                violation_error_message=_("Weekly hours lie between 0 and 50."),
            ),
            models.CheckConstraint(
                condition=Q(positions__gte=1),
                name="vacancy_positions_at_least_one",
                violation_error_message=_("A vacancy has at least one position."),
            ),
            # A fixed-term contract states its length; an open-ended one has none.
            models.CheckConstraint(
                condition=Q(contract_type="fixed_term", contract_months__isnull=False, contract_months__gte=1)
                | Q(contract_type="indefinite", contract_months__isnull=True),
                name="vacancy_contract_duration_coherent",
                violation_error_message=_(
                    "A fixed-term contract states its length in months; an open-ended one has none."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="vacancy_published_dated",
                violation_error_message=_("A published vacancy needs its publication time."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "region"], name="vacancy_status_region"),
            models.Index(fields=["employer", "status"], name="vacancy_employer_status"),
            # The sweeper's question "which vacancies have matches older than their requirements?"
            models.Index(
                fields=["status", "region"],
                condition=~Q(matched_version=F("criteria_version")),
                name="vacancy_match_stale",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def near_miss_floor_points(self) -> Decimal:
        """The near-miss floor in points, as scores are shown."""
        return Decimal(self.near_miss_floor) / 100

    def clean(self) -> None:
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        if self.employer_id and self.employer.kind != Organisation.Kind.EMPLOYER:
            errors["employer"] = _("Only an employer can post a vacancy.")
        expected = region_for_postal_code(self.postal_code or "")
        if expected is None:
            errors["postal_code"] = _("Enter a Belgian postal code of four digits.")
        elif self.region and self.region != expected:
            errors["region"] = _("This postal code lies in another region.")
        if errors:
            raise ValidationError(errors)

    @property
    def gross_monthly_salary_eur(self) -> Decimal:
        return (self.gross_annual_salary_eur / Decimal(str(SalaryThreshold.MONTHS_PER_YEAR))).quantize(
            Decimal("0.01")
        )


class VacancySkill(models.Model):
    class RelationType(models.TextChoices):
        ESSENTIAL = "essential", _("Essential")
        OPTIONAL = "optional", _("Optional")

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skill_requirements")
    skill = models.ForeignKey(EscoSkill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+")
    relation_type = models.CharField(_("relation"), max_length=10, choices=RelationType.choices)

    class Meta:
        verbose_name = _("vacancy skill")
        verbose_name_plural = _("vacancy skills")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "skill"], name="vacancy_skill_unique"),
            models.CheckConstraint(
                condition=Q(relation_type__in=["essential", "optional"]), name="vacancy_skill_relation_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.relation_type})"


def _min_cefr(label: "StrOrPromise") -> models.CharField:
    return models.CharField(label, max_length=2, choices=CEFRLevel.choices, blank=True)


LANGUAGE_SKILLS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")


class VacancyLanguageRequirement(models.Model):
    """A minimum CEFR level per skill for one language; empty means no requirement on that skill."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="language_requirements")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    listening = _min_cefr(_("listening"))
    reading = _min_cefr(_("reading"))
    spoken_interaction = _min_cefr(_("spoken interaction"))
    spoken_production = _min_cefr(_("spoken production"))
    writing = _min_cefr(_("writing"))
    mandatory = models.BooleanField(
        _("mandatory"),
        default=True,
        help_text=_("Mandatory levels are an eligibility gate; others only count in the score."),
    )

    class Meta:
        verbose_name = _("language requirement")
        verbose_name_plural = _("language requirements")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "language"], name="vacancy_language_unique"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{skill}__in": ["", *CEFR_CODES]}), name=f"vacancy_language_{skill}_cefr"
                )
                for skill in LANGUAGE_SKILLS
            ],
            models.CheckConstraint(
                condition=~Q(
                    listening="", reading="", spoken_interaction="", spoken_production="", writing=""
                ),
                name="vacancy_language_requires_something",
                violation_error_message=_("Set a minimum level for at least one language skill."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.vacancy})"
