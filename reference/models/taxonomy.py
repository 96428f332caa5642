"""ISCO-08 groups and the ESCO occupations and skills pillar (domain.md section 3).

Labels are stored in the three languages of the product. The ESCO version is recorded on every
concept: ISCO mappings changed between ESCO versions, and a match must say what it was computed on.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reference.validators import validate_concept_uri


class MultilingualLabelMixin(models.Model):
    """Preferred labels in nl/fr/en; ``label`` picks the active language, falling back to English."""

    label_en = models.CharField(_("label (English)"), max_length=300)
    label_nl = models.CharField(_("label (Dutch)"), max_length=300, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (translation.get_language() or "nl")[:2]
        return str(getattr(self, f"label_{language}", "") or self.label_en)


class IscoGroup(MultilingualLabelMixin):
    """An ISCO-08 group. The code is a string: leading zeros matter (armed forces are ``0110``)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="isco_level_1_to_4"),
            # Level 1 is the one-digit major group, level 4 the four-digit unit group.
            models.CheckConstraint(
                condition=Q(level=Length("code")),
                name="isco_level_matches_code",
                violation_error_message=_("The level of an ISCO group is the number of digits of its code."),
            ),
            models.CheckConstraint(
                condition=Q(level=1) | Q(parent__isnull=False),
                name="isco_parent_below_major",
                violation_error_message=_("Every ISCO group below a major group has a parent group."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def uri(self) -> str:
        return f"http://data.europa.eu/esco/isco/C{self.code}"


class EscoConcept(MultilingualLabelMixin):
    uri = models.CharField(_("URI"), max_length=255, unique=True, validators=[validate_concept_uri])
    esco_version = models.CharField(_("ESCO version"), max_length=20)
    alt_labels_en = models.JSONField(_("alternative labels (English)"), default=list, blank=True)
    alt_labels_nl = models.JSONField(_("alternative labels (Dutch)"), default=list, blank=True)
    alt_labels_fr = models.JSONField(_("alternative labels (French)"), default=list, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(_("status"), max_length=20, default="released")

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        """The label in the active language (``concept_label``)."""
        language = (translation.get_language() or "nl")[:2]
        return concept_label(
            language,
            preferred={"en": self.label_en, "nl": self.label_nl, "fr": self.label_fr},
            alternatives={"nl": self.alt_labels_nl, "fr": self.alt_labels_fr},
        )


def concept_label(language: str, *, preferred: dict[str, str], alternatives: dict[str, list[str]]) -> str:
    """An ESCO concept's label in ``language``: its preferred label there; without one, its first
    alternative label there (for an occupation ESCO gives no Dutch label, the Flemish shortage list's
    term the loader stores: "chef-kok" for "cook"); only then the English preferred label. Never
    re-cased: ESCO writes its labels in lower case in every language, and so do the list terms.

    One rule for every page, form and choice list, so a Dutch page never mixes in an English label
    where a Dutch word is known (issue 12, item 16).
    """
    if language != "en":
        if preferred.get(language):
            return preferred[language]
        for alternative in alternatives.get(language) or ():
            if alternative:
                return str(alternative)
    return preferred.get("en", "")


class EscoOccupation(EscoConcept):
    """An ESCO occupation; each maps to exactly one ISCO-08 unit group."""

    isco_group = models.ForeignKey(
        IscoGroup, verbose_name=_("ISCO-08 unit group"), on_delete=models.PROTECT, related_name="occupations"
    )
    esco_code = models.CharField(_("ESCO code"), max_length=30, blank=True, help_text=_("e.g. 2221.2"))
    is_regulated = models.BooleanField(
        _("regulated profession"),
        default=False,
        help_text=_("Needs full diploma equivalence and a licence to practise (nurses, for example)."),
    )
    regulated_profession_note = models.TextField(_("regulated profession note"), blank=True)
    skills: "models.ManyToManyField[EscoSkill, OccupationSkillRelation]" = models.ManyToManyField(
        "EscoSkill", through="OccupationSkillRelation", related_name="occupations", verbose_name=_("skills")
    )

    class Meta:
        verbose_name = _("ESCO occupation")
        verbose_name_plural = _("ESCO occupations")
        ordering = ["label_en"]


class EscoSkill(EscoConcept):
    """An ESCO skill or knowledge concept."""

    class SkillType(models.TextChoices):
        KNOWLEDGE = "knowledge", _("Knowledge")
        SKILL = "skill/competence", _("Skill or competence")

    skill_type = models.CharField(_("skill type"), max_length=20, choices=SkillType.choices)
    reuse_level = models.CharField(_("reuse level"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("ESCO skill")
        verbose_name_plural = _("ESCO skills")
        ordering = ["label_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(skill_type__in=["knowledge", "skill/competence"]), name="esco_skill_type_valid"
            ),
        ]


class OccupationSkillRelation(models.Model):
    """ESCO's essential/optional link between an occupation and a skill."""

    class RelationType(models.TextChoices):
        ESSENTIAL = "essential", _("Essential")
        OPTIONAL = "optional", _("Optional")

    occupation = models.ForeignKey(EscoOccupation, on_delete=models.CASCADE, related_name="skill_relations")
    skill = models.ForeignKey(EscoSkill, on_delete=models.CASCADE, related_name="occupation_relations")
    relation_type = models.CharField(_("relation"), max_length=10, choices=RelationType.choices)

    class Meta:
        verbose_name = _("occupation-skill relation")
        verbose_name_plural = _("occupation-skill relations")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="occupation_skill_unique"),
            models.CheckConstraint(
                condition=Q(relation_type__in=["essential", "optional"]),
                name="occupation_skill_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} – {self.skill} ({self.relation_type})"


class EscoImport(models.Model):
    """One run of the ESCO importer: which version, from which files, with what counts."""

    esco_version = models.CharField(_("ESCO version"), max_length=20)
    source = models.CharField(_("source"), max_length=300)
    languages = models.JSONField(_("languages"), default=list)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    isco_groups = models.PositiveIntegerField(_("ISCO groups"), default=0)
    occupations = models.PositiveIntegerField(_("occupations"), default=0)
    skills = models.PositiveIntegerField(_("skills"), default=0)
    relations = models.PositiveIntegerField(_("relations"), default=0)

    class Meta:
        verbose_name = _("ESCO import")
        verbose_name_plural = _("ESCO imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"ESCO {self.esco_version} ({self.started_at:%Y-%m-%d})"
