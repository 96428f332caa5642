"""The editable crosswalk from ISCED 2011 levels to the Flemish qualification structure (VKS).

The official crosswalk is approximate (domain.md 4.3): ISCED 3 ≈ VKS 3–4, ISCED 5 ≈ VKS 5, and so on.
Operators can correct it without a code change.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class QualificationLevelEquivalence(models.Model):
    isced_level = models.PositiveSmallIntegerField(_("ISCED 2011 level"), unique=True)
    vks_min = models.PositiveSmallIntegerField(_("lowest VKS/EQF level"))
    vks_max = models.PositiveSmallIntegerField(_("highest VKS/EQF level"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("qualification level equivalence")
        verbose_name_plural = _("qualification level equivalences")
        ordering = ["isced_level"]
        constraints = [
            models.CheckConstraint(condition=Q(isced_level__lte=8), name="qualification_isced_0_to_8"),
            models.CheckConstraint(
                condition=Q(vks_min__gte=1, vks_max__lte=8, vks_min__lte=F("vks_max")),
                name="qualification_vks_range",
            ),
        ]

    def __str__(self) -> str:
        return f"ISCED {self.isced_level} ≈ VKS {self.vks_min}–{self.vks_max}"
