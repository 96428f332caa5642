"""The wording of a consent: what a candidate read when they agreed, per purpose, version and language."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models.compliance import ConsentPurpose


class ConsentLanguage(models.TextChoices):
    """The languages a consent text is published in: those of the site."""

    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class ConsentWording(models.Model):
    """The text of one version of a consent for one purpose, in one language.

    A ``Consent`` names the version it was given under (``Consent.text_version``); this row is what that
    version said, so the candidate can read again what they agreed to (GDPR art. 7(1): the controller
    must be able to show what was consented to). A published wording is never changed: a new text is a
    new version. ``candidates.services.consent_wording`` only creates rows (there is no update path) and
    the admin shows them read-only.

    ``text_version`` is shared with the partner API, where a partner names the version of its own form:
    a version with no row here is a text the recording organisation holds. ``is_example`` marks the
    wordings installed with the software (migration 0008), for the service to confirm or replace by a
    new version.
    """

    Language = ConsentLanguage

    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    language = models.CharField(_("language"), max_length=2, choices=ConsentLanguage.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"))
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("An example text installed with the software.")
    )

    class Meta:
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")
        ordering = ["purpose", "-published_at", "text_version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "text_version", "language"], name="consent_wording_one_per_language"
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=ConsentPurpose.values), name="consent_wording_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ConsentLanguage.values), name="consent_wording_language_valid"
            ),
            models.CheckConstraint(
                condition=~Q(text_version="") & ~Q(title="") & ~Q(text=""),
                name="consent_wording_not_empty",
            ),
        ]
        indexes = [
            # The current version of a purpose: the latest published.
            models.Index(fields=["purpose", "published_at"], name="consent_wording_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.text_version} ({self.language})"
