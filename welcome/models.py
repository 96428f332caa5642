"""Information pages for candidates, per stage of their case: content kept as data and edited by staff.

A page (``InformationPage``) is one topic for one group of stages (``welcome.stages``), for everyone or
for one region or municipality where the content differs (the local welcome centre). Its text lives in
versions (``PageVersion``), per language: editing writes a new version, publishing one makes it what
candidates see and retires the one before; older versions are kept, never rewritten. Candidates leave a
read receipt per version they open (``ReadReceipt``); ``PageNotice`` records which published versions a
candidate was told of by e-mail, and is the claim that makes that e-mail go out once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.choices import Region
from welcome.stages import Group


class StageGroup(models.TextChoices):
    """``welcome.stages.Group`` with its labels, in the order a candidate meets them."""

    BEFORE_DEPARTURE = Group.BEFORE_DEPARTURE.value, _("Before departure")
    OFFER_AND_PERMIT = Group.OFFER_AND_PERMIT.value, _("Offer and permit")
    BEFORE_TRAVEL = Group.BEFORE_TRAVEL.value, _("Before travel")
    ON_ARRIVAL = Group.ON_ARRIVAL.value, _("On arrival")
    AFTER_STARTING = Group.AFTER_STARTING.value, _("After starting work")


class PageLanguage(models.TextChoices):
    """The languages pages are written in: the site's three."""

    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Replaced by a newer version")


def municipality_key(name: str) -> str:
    """How a municipality is compared: trimmed and case-folded ("Gent " and "gent" are one place)."""
    return " ".join(name.split()).casefold()


class InformationPage(models.Model):
    """One topic of information for candidates at one group of stages, for everyone (no region) or for
    one region or municipality of work, where the content differs.

    Pages of the same ``topic`` are variants of one another: a candidate sees, per case, the most
    specific variant for the case's place of work (municipality, then region, then the Flanders-wide
    page without either), so a local page replaces the general one rather than adding to it.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    topic = models.SlugField(
        _("topic"),
        max_length=80,
        help_text=_("A short name shared by the local variants of one page, e.g. local-welcome-centre."),
    )
    stage_group = models.CharField(_("stage"), max_length=20, choices=StageGroup.choices)
    region = models.CharField(
        _("region"),
        max_length=3,
        choices=Region.choices,
        blank=True,
        help_text=_("Leave empty for the page everyone sees; set it where the content differs."),
    )
    municipality = models.CharField(
        _("municipality"),
        max_length=100,
        blank=True,
        help_text=_("Only for a page that differs in one municipality (needs the region as well)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ["stage_group", "position", "topic", "region", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "region", "municipality"],
                name="welcome_page_one_per_topic_and_place",
                violation_error_message=_("This topic already has a page for this place."),
            ),
            models.CheckConstraint(
                condition=Q(stage_group__in=StageGroup.values), name="welcome_page_group_valid"
            ),
            models.CheckConstraint(
                condition=Q(region="") | Q(region__in=Region.values), name="welcome_page_region_valid"
            ),
            # A municipality lies in a region: without it the fallback order would be ambiguous.
            models.CheckConstraint(
                condition=Q(municipality="") | ~Q(region=""),
                name="welcome_page_municipality_has_region",
                violation_error_message=_("A page for a municipality also names its region."),
            ),
        ]
        indexes = [models.Index(fields=["stage_group", "topic"], name="welcome_page_group_topic")]

    def __str__(self) -> str:
        place = self.municipality or self.region
        return f"{self.topic} ({place})" if place else self.topic

    @property
    def scope_rank(self) -> int:
        """0 for the page everyone sees, 1 for a region's, 2 for a municipality's."""
        return 2 if self.municipality else 1 if self.region else 0


class PageVersion(models.Model):
    """One version of a page's text in one language. Written once and never edited: a change is a new
    version (``number`` + 1). At most one version per page and language is published at a time; the
    one it replaced is kept as ``retired``. Plain text: paragraphs separated by blank lines.
    """

    Status = VersionStatus

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    page = models.ForeignKey(
        InformationPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(_("language"), max_length=2, choices=PageLanguage.choices)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    is_example = models.BooleanField(
        _("example to be completed by the service"),
        default=False,
        help_text=_("Shown to candidates and staff until the service has checked and completed the text."),
    )
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")
        ordering = ["page", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language", "number"], name="welcome_version_number_unique"
            ),
            # What candidates see is never ambiguous: one published text per page and language.
            models.UniqueConstraint(
                fields=["page", "language"],
                condition=Q(status="published"),
                name="welcome_version_one_published",
            ),
            models.CheckConstraint(
                condition=Q(language__in=PageLanguage.values), name="welcome_version_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values), name="welcome_version_status_valid"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="welcome_version_number_positive"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="welcome_version_published_dated",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="welcome_version_has_title"),
        ]
        indexes = [models.Index(fields=["status", "page"], name="welcome_version_status_page")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.language} v{self.number}"


class ReadReceipt(models.Model):
    """A candidate opened a published version of a page (the first time, ``read_at``). ``page`` repeats
    the version's page so "when did they last read this page" needs no join."""

    # CASCADE: erasing a candidate (GDPR) erases what they read with them.
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="welcome_receipts"
    )
    page = models.ForeignKey(
        InformationPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        PageVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="receipts"
    )
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "version"], name="welcome_receipt_once_per_version")
        ]
        indexes = [models.Index(fields=["candidate", "page", "read_at"], name="welcome_receipt_page_read")]

    def __str__(self) -> str:
        return f"{self.candidate_id} read {self.version_id}"


class PageNotice(models.Model):
    """A candidate was told by e-mail that a published version applies to them. The unique pair is the
    claim: two workers racing to tell the same candidate cannot both insert it, so nobody is told twice.
    """

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="welcome_notices"
    )
    version = models.ForeignKey(
        PageVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="notices"
    )
    notified_at = models.DateTimeField(_("told at"))

    class Meta:
        verbose_name = _("page notice")
        verbose_name_plural = _("page notices")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "version"], name="welcome_notice_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} told of {self.version_id}"
