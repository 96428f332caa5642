"""When a recruiter last marked their dashboard as read: "new since your last visit" is measured from it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardVisit(models.Model):
    """One row per staff user. Opening the dashboard does not move it; the "mark as read" action does,
    so a reload never makes unread changes disappear."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="dashboard_visit",
    )
    seen_at = models.DateTimeField(_("marked as read at"))

    class Meta:
        verbose_name = _("dashboard visit")
        verbose_name_plural = _("dashboard visits")

    def __str__(self) -> str:
        return f"{self.user_id} {self.seen_at:%Y-%m-%d %H:%M}"
