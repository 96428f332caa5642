"""Who looked at a candidate's profile, and when (GDPR art. 15: the candidate may ask who received it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models.profile import Candidate
from core.models import Organisation


class ViewerKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    PARTNER_WEB = "partner_web", _("Partner agency (web)")
    PARTNER_API = "partner_api", _("Partner agency (API)")
    STAFF = "staff", _("Public employment service staff")


class AccessWhat(models.TextChoices):
    PROFILE = "profile", _("Profile")
    CASE = "case", _("Case")
    API_CANDIDATE = "api_candidate", _("Profile through the API")
    ADMIN = "admin", _("Profile in the administration")


class ProfileAccess(models.Model):
    """One view of a candidate's profile by someone else than the candidate: an employer's user, a partner
    agency (its web pages or its API client), or staff of the public employment service.

    Written by ``candidates.services.profile_access_record``: one INSERT per page, never read back in the
    request that writes it. It holds no personal data of the candidate beyond the reference to them: who
    looked (the organisation, the user when a person did), what and when. The viewer's organisation is
    empty for a platform administrator outside every organisation.
    """

    Kind = ViewerKind
    What = AccessWhat

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="accesses",
        db_index=False,  # (candidate, at) below serves it: one index less to write on every view
    )
    # SET_NULL: the log outlives an organisation or a user deleted later (the kind still says who).
    viewer_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("viewer's organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    viewer_kind = models.CharField(_("viewer"), max_length=12, choices=ViewerKind.choices)
    # Empty for the partner API (its OAuth2 client acts for the organisation) and for a deleted user.
    viewer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer's user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("what was seen"), max_length=16, choices=AccessWhat.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("profile access")
        verbose_name_plural = _("profile accesses")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(viewer_kind__in=ViewerKind.values), name="profile_access_kind"
            ),
            models.CheckConstraint(condition=Q(what__in=AccessWhat.values), name="profile_access_what"),
        ]
        indexes = [
            # The candidate's own page ("who looked at my profile"), newest first.
            models.Index(fields=["candidate", "at"], name="profile_access_candidate_at"),
            # The data protection officer's export since a moment.
            models.Index(fields=["at"], name="profile_access_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_viewer_kind_display()} {self.get_what_display()} {self.at:%Y-%m-%d %H:%M}"
