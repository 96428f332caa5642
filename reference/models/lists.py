"""Shortage-occupation lists and salary thresholds: dated, versioned facts, never constants in code.

Eligibility is evaluated at a reference date (the planned permit application date) with the lists and
thresholds valid on that date (domain.md 8.2, 8.5), so every record carries its validity period.
"""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import Region
from reference.models.taxonomy import EscoOccupation


class ValidOnQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "ValidOnQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class ShortageList(models.Model):
    """A published shortage list for one region and period (VDAB list, ministerial migration list)."""

    class Kind(models.TextChoices):
        VDAB_SHORTAGE = "vdab_shortage", _("VDAB shortage-occupation list (knelpuntberoepen)")
        MIGRATION_MEDIUM_SKILLED = (
            "migration_medium_skilled",
            _("Ministerial list of medium-skilled shortage functions"),
        )
        EU_TALENT_POOL = "eu_talent_pool", _("EU Talent Pool shortage list")
        OTHER_REGION = "other_region", _("Shortage list of another region")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=3, choices=Region.choices, default=Region.FLANDERS)
    title = models.CharField(_("title"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)
    source = models.TextField(_("sources"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ValidOnQuerySet.as_manager()

    class Meta:
        verbose_name = _("shortage list")
        verbose_name_plural = _("shortage lists")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "valid_from"], name="shortage_list_unique_period_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="shortage_list_period_ordered",
                violation_error_message=_("The end of the validity period cannot come before its start."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["vdab_shortage", "migration_medium_skilled", "eu_talent_pool", "other_region"]
                ),
                name="shortage_list_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ShortageListEntry(models.Model):
    """One function on a list, as the list names it, mapped to one or more ESCO occupations."""

    shortage_list = models.ForeignKey(
        ShortageList, verbose_name=_("shortage list"), on_delete=models.CASCADE, related_name="entries"
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    competent_code = models.CharField(_("Competent code"), max_length=20, blank=True)
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4, blank=True)
    cause_quantitative = models.BooleanField(_("quantitative shortage"), default=False)
    cause_qualitative = models.BooleanField(_("qualitative shortage"), default=False)
    cause_working_conditions = models.BooleanField(_("working conditions"), default=False)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Confirmed against the published text; unticked means inferred."),
    )
    notes = models.TextField(_("notes"), blank=True)
    occupations = models.ManyToManyField(
        EscoOccupation,
        through="ShortageListOccupation",
        related_name="shortage_entries",
        verbose_name=_("ESCO occupations"),
    )

    class Meta:
        verbose_name = _("shortage list entry")
        verbose_name_plural = _("shortage list entries")
        ordering = ["shortage_list", "title_nl"]
        constraints = [
            models.UniqueConstraint(fields=["shortage_list", "title_nl"], name="shortage_entry_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title_nl


class ShortageListOccupation(models.Model):
    """The curated mapping of a list entry to an ESCO occupation, with how well it fits (domain.md 8.5)."""

    class Fit(models.TextChoices):
        EXACT = "exact", _("Exact")
        BROADER = "broader", _("Broader")
        NARROWER = "narrower", _("Narrower")
        APPROXIMATE = "approximate", _("Approximate")

    entry = models.ForeignKey(ShortageListEntry, on_delete=models.CASCADE, related_name="occupation_links")
    occupation = models.ForeignKey(EscoOccupation, on_delete=models.PROTECT, related_name="shortage_links")
    fit = models.CharField(_("fit"), max_length=12, choices=Fit.choices, default=Fit.EXACT)

    class Meta:
        verbose_name = _("shortage list occupation")
        verbose_name_plural = _("shortage list occupations")
        constraints = [
            models.UniqueConstraint(fields=["entry", "occupation"], name="shortage_occupation_unique"),
            models.CheckConstraint(
                condition=Q(fit__in=["exact", "broader", "narrower", "approximate"]),
                name="shortage_occupation_fit_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} → {self.occupation} ({self.fit})"


class SalaryThreshold(models.Model):
    """A gross annual salary threshold for a region, permit category and period (domain.md 1.5)."""

    class Category(models.TextChoices):
        HIGHLY_SKILLED = "highly_skilled", _("Highly skilled")
        HIGHLY_SKILLED_REDUCED = (
            "highly_skilled_reduced",
            _("Highly skilled, reduced (under 30, nurse, teacher)"),
        )
        MANAGER = "manager", _("Manager")
        EU_BLUE_CARD = "eu_blue_card", _("EU Blue Card")

    # Belgian contracts pay 13.92 months a year (13th month and holiday pay).
    MONTHS_PER_YEAR = 13.92

    region = models.CharField(_("region"), max_length=3, choices=Region.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    annual_gross_eur = models.DecimalField(_("gross annual amount (EUR)"), max_digits=10, decimal_places=2)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unticked: derived or reported, to be confirmed by an operator."),
    )
    basis_note = models.TextField(_("basis"), blank=True)
    source = models.TextField(_("sources"), blank=True)

    objects = ValidOnQuerySet.as_manager()

    class Meta:
        verbose_name = _("salary threshold")
        verbose_name_plural = _("salary thresholds")
        ordering = ["region", "category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category", "valid_from"], name="salary_threshold_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(annual_gross_eur__gt=0),
                name="salary_threshold_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="salary_threshold_period_ordered",
                violation_error_message=_("The end of the validity period cannot come before its start."),
            ),
            models.CheckConstraint(
                condition=Q(
                    category__in=["highly_skilled", "highly_skilled_reduced", "manager", "eu_blue_card"]
                ),
                name="salary_threshold_category_valid",
            ),
        ]

    def __str__(self) -> str:
        category = self.get_category_display()
        return f"{self.get_region_display()} {category} {self.valid_from}: {self.annual_gross_eur} EUR"

    @property
    def monthly_gross_eur(self) -> float:
        return round(float(self.annual_gross_eur) / self.MONTHS_PER_YEAR, 2)
