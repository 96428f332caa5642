"""What the partner API stores of its own: which scopes each client may ask for, and idempotency keys.

A partner organisation's client is a django-oauth-toolkit ``Application`` (client-credentials grant)
owned by a service user of that organisation; ``PartnerClient`` adds the scopes it may be granted.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class PartnerClient(models.Model):
    """The scopes an OAuth2 client may be granted. A token never carries a scope outside this list."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        verbose_name=_("OAuth2 application"),
        on_delete=models.CASCADE,
        related_name="partner_client",
    )
    scopes = models.JSONField(_("allowed scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner API client")
        verbose_name_plural = _("partner API clients")

    def __str__(self) -> str:
        return str(self.application)


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` a client sent with a POST, and what it answered.

    ``fingerprint`` is a SHA-256 of the method, path and canonical JSON body: the same key with another
    request is refused. ``status_code`` is empty while the first request runs (``locked_until`` bounds
    how long a crashed request blocks the key). Only successful answers are kept: a request that failed
    wrote nothing, so its key may be used again. ``response`` holds no personal data: references to the
    resources written, re-read when replayed (``api.idempotency``). Kept for ``RETENTION``.
    """

    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response = models.JSONField(_("response reference"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="idempotency_key_unique_per_client"),
            models.CheckConstraint(
                condition=Q(status_code__isnull=True) | Q(locked_until__isnull=True),
                name="idempotency_finished_not_locked",
            ),
        ]
        indexes = [models.Index(fields=["application", "created_at"], name="idempotency_client_created")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.key}"
