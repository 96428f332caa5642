"""What a candidate can do and prove: languages, diplomas and recognition, experience, skills, licences."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.models.profile import Candidate
from core.choices import CEFR_CODES, CEFRLevel, Language
from core.models import Organisation
from core.validators import validate_country_code
from reference.models import EscoOccupation, EscoSkill

CEFR_SKILLS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Evidence(models.TextChoices):
    """How a skill or level is proven. Matching weighs verified evidence higher (domain.md 8.3)."""

    VERIFIED = "verified", _("Verified (test or employer reference)")
    TRAINING_CERTIFICATE = "training_certificate", _("Training certificate")
    SELF_DECLARED = "self_declared", _("Self-declared")


def _cefr_field(label: "StrOrPromise") -> models.CharField:
    return models.CharField(label, max_length=2, choices=CEFRLevel.choices, blank=True)


class LanguageProficiency(models.Model):
    """A CEFR level per skill for one language, plus the Flemish NT2 level for Dutch (domain.md 4.1–4.2)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    is_native = models.BooleanField(_("native language"), default=False)
    listening = _cefr_field(_("listening"))
    reading = _cefr_field(_("reading"))
    spoken_interaction = _cefr_field(_("spoken interaction"))
    spoken_production = _cefr_field(_("spoken production"))
    writing = _cefr_field(_("writing"))
    nt2_level = models.CharField(
        _("Flemish NT2 level"),
        max_length=3,
        blank=True,
        help_text=_("Richtgraad module, e.g. 2.4 = completed B1."),
    )
    evidence = models.CharField(
        _("evidence"), max_length=24, choices=Evidence.choices, default=Evidence.SELF_DECLARED
    )
    certificate = models.CharField(_("certificate or test"), max_length=200, blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("language proficiency")
        verbose_name_plural = _("language proficiencies")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "language"], name="language_unique_per_candidate"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{skill}__in": ["", *CEFR_CODES]}), name=f"language_{skill}_cefr"
                )
                for skill in CEFR_SKILLS
            ],
            models.CheckConstraint(
                condition=Q(language="nl") | Q(nt2_level=""),
                name="language_nt2_only_for_dutch",
                violation_error_message=_("The NT2 level only applies to Dutch."),
            ),
            models.CheckConstraint(
                condition=Q(
                    nt2_level__in=["", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "4.2"]
                ),
                name="language_nt2_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.candidate})"


class Diploma(models.Model):
    """A diploma as issued.

    Whether the issuing institution is state-recognised decides the highly skilled route.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="diplomas")
    title = models.CharField(_("title"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200)
    institution_state_recognised = models.BooleanField(
        _("institution recognised by the issuing state"), default=True
    )
    is_private_institution = models.BooleanField(_("private institution"), default=False)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    field = models.CharField(
        _("field of education (ISCED-F)"), max_length=4, blank=True, help_text=_("e.g. 0913 nursing")
    )
    isced_level = models.PositiveSmallIntegerField(_("ISCED 2011 level"))
    duration_years = models.DecimalField(
        _("duration (years)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("diploma")
        verbose_name_plural = _("diplomas")
        constraints = [
            models.CheckConstraint(condition=Q(isced_level__lte=8), name="diploma_isced_0_to_8"),
            models.CheckConstraint(
                condition=Q(duration_years__isnull=True) | Q(duration_years__gt=0),
                name="diploma_duration_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RecognitionOutcome(models.TextChoices):
    REQUESTED = "requested", _("Requested, pending")
    LEVEL_EQUIVALENCE = "level_equivalence", _("Level equivalence")
    FULL_EQUIVALENCE = "full_equivalence", _("Full equivalence")
    PARTIAL = "partial", _("Partial equivalence (exemptions possible)")
    REFUSED = "refused", _("Refused")
    LICENCE_GRANTED = "licence_granted", _("Licence to practise granted")
    REGISTRATION_GRANTED = "registration_granted", _("Registration granted")


class RecognitionStep(models.Model):
    """A request or decision on a diploma: NARIC level or full equivalence, the licence to practise.

    No row means recognition was not requested. Regulated professions (nurse) need full equivalence
    plus a licence to practise (FOD Volksgezondheid visum) before the candidate may work in them.
    """

    class Authority(models.TextChoices):
        NARIC_VLAANDEREN = "naric_vl", _("NARIC-Vlaanderen")
        ZORG_EN_GEZONDHEID = "zorg_gezondheid", _("Zorg en Gezondheid")
        FOD_VOLKSGEZONDHEID = "fod_vg", _("FPS Public Health (licence to practise)")
        OTHER = "other", _("Other")

    Outcome = RecognitionOutcome

    diploma = models.ForeignKey(Diploma, on_delete=models.CASCADE, related_name="recognition_steps")
    authority = models.CharField(_("authority"), max_length=20, choices=Authority.choices)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    recognised_isced_level = models.PositiveSmallIntegerField(
        _("recognised level (ISCED)"), null=True, blank=True
    )
    equivalent_flemish_title = models.CharField(_("equivalent Flemish diploma"), max_length=200, blank=True)
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reference = models.CharField(_("file reference"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("recognition step")
        verbose_name_plural = _("recognition steps")
        ordering = ["diploma", "requested_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=RecognitionOutcome.values), name="recognition_outcome_valid"
            ),
            # Every outcome but "requested" is a decision, and a decision has a date.
            models.CheckConstraint(
                condition=Q(outcome="requested", decided_on__isnull=True)
                | (~Q(outcome="requested") & Q(decided_on__isnull=False)),
                name="recognition_decision_dated",
                violation_error_message=_("A decision has a decision date; a pending request has none."),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("requested_on")),
                name="recognition_decided_after_request",
                violation_error_message=_("A decision cannot come before the request."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="level_equivalence") | Q(recognised_isced_level__isnull=False),
                name="recognition_level_has_level",
                violation_error_message=_("A level equivalence states the recognised level."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="full_equivalence") | ~Q(equivalent_flemish_title=""),
                name="recognition_full_has_title",
                violation_error_message=_("A full equivalence names the equivalent Flemish diploma."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.diploma}: {self.get_outcome_display()}"


class WorkExperience(models.Model):
    """Experience in one ESCO occupation; matching derives years per occupation and ISCO group."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="experiences")
    occupation = models.ForeignKey(
        EscoOccupation, verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True, help_text=_("Empty while ongoing."))
    fte = models.DecimalField(_("FTE"), max_digits=3, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        ordering = ["candidate", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="experience_period_ordered",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            models.CheckConstraint(condition=Q(fte__gt=0, fte__lte=1), name="experience_fte_range"),
        ]
        indexes = [
            # Who has experience in an occupation (candidate search): read off the index alone.
            models.Index(fields=["occupation", "candidate"], name="experience_by_occupation"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} ({self.started_on:%Y})"


class CandidateSkill(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(EscoSkill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+")
    evidence = models.CharField(
        _("evidence"), max_length=24, choices=Evidence.choices, default=Evidence.SELF_DECLARED
    )
    verified_by = models.ForeignKey(
        Organisation,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidate skill")
        verbose_name_plural = _("candidate skills")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "skill"], name="candidate_skill_unique"),
            models.CheckConstraint(
                condition=Q(evidence__in=["verified", "training_certificate", "self_declared"]),
                name="candidate_skill_evidence_valid",
            ),
            models.CheckConstraint(
                condition=~Q(evidence="verified") | Q(verified_on__isnull=False),
                name="candidate_skill_verification_dated",
                violation_error_message=_("A verified skill needs the date of verification."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.skill)


class Licence(models.Model):
    """A legally required licence or certificate: driving C/CE/D, Code 95, welding, safety (domain.md 8.2)."""

    class Kind(models.TextChoices):
        DRIVING_C = "driving_c", _("Driving licence C")
        DRIVING_CE = "driving_ce", _("Driving licence CE")
        DRIVING_D = "driving_d", _("Driving licence D")
        CODE_95 = "code_95", _("Code 95 (professional competence)")
        WELDING_ISO_9606 = "welding_iso_9606", _("Welding certificate EN ISO 9606")
        VCA = "vca", _("VCA safety certificate")
        OTHER = "other", _("Other")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="licences")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    issuing_country = models.CharField(_("issuing country"), max_length=2, validators=[validate_country_code])
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    valid_or_exchangeable_in_belgium = models.BooleanField(
        _("valid or exchangeable in Belgium"), default=False
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind", "issuing_country"], name="licence_unique"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
