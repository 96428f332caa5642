"""Agreements with a partner country or agency, and the vacancies they share.

An agreement (a memorandum of understanding such as VDAB's with Taiwan, a talent partnership with
Morocco, Tunisia or Egypt) names which vacancies fit it (occupations, shortage lists, vacancy kinds,
regions), for which period, and with which partner agencies they are shared. A fitting vacancy is shared
when it is published and withdrawn when it closes, without a recruiter's click
(``agreements.services``); ``VacancyShare`` is the record of each share, kept after its withdrawal.
"""

import datetime
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Organisation
from reference.models import EscoOccupation
from vacancies.models import Vacancy


def in_force_on(day: datetime.date) -> Q:
    """A filter: the agreements whose period covers ``day`` (an open end: still running)."""
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Agreement(models.Model):
    class Kind(models.TextChoices):
        MEMORANDUM = "memorandum", _("Memorandum of understanding")
        TALENT_PARTNERSHIP = "talent_partnership", _("Talent partnership")
        BILATERAL = "bilateral", _("Bilateral labour agreement")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    partner_country = models.CharField(
        _("partner country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. TW, MA, TN.")
    )
    agencies = models.ManyToManyField(
        Organisation, verbose_name=_("partner agencies"), related_name="agreements", blank=True
    )
    # What fits: a vacancy fits when its occupation is named, or is on one of the named shortage lists
    # in force for the vacancy's region (either may be empty, not both), and its kind and region are
    # among those named (empty: any).
    occupations = models.ManyToManyField(
        EscoOccupation, verbose_name=_("occupations"), related_name="+", blank=True
    )
    shortage_list_kinds = models.JSONField(
        _("shortage lists"),
        default=list,
        blank=True,
        help_text=_("Kinds of shortage list whose occupations fit (the lists in force on the day)."),
    )
    vacancy_kinds = models.JSONField(_("vacancy kinds"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    sources = models.TextField(_("sources"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_period_ordered",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VacancyShare(models.Model):
    """One vacancy shared with one agency under one agreement: when, and when withdrawn (and why)."""

    class WithdrawnReason(models.TextChoices):
        VACANCY_CLOSED = "vacancy_closed", _("The vacancy closed or was filled")
        NO_LONGER_FITS = "no_longer_fits", _("The vacancy no longer fits the agreement")
        AGREEMENT_ENDED = "agreement_ended", _("The agreement ended or no longer names the agency")

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="shares"
    )
    agency = models.ForeignKey(
        Organisation, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="vacancy_shares"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="shares"
    )
    shared_at = models.DateTimeField(_("shared at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(
        _("why withdrawn"), max_length=20, choices=WithdrawnReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("shared vacancy")
        verbose_name_plural = _("shared vacancies")
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "agency", "agreement"], name="vacancy_share_unique"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_reason="")
                | Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason=""),
                name="vacancy_share_withdrawal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["agency", "withdrawn_at"], name="vacancy_share_agency_open")]

    def __str__(self) -> str:
        return f"{self.vacancy_id} → {self.agency_id} ({self.agreement_id})"
