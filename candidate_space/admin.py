"""The candidate space in the administration: read-only views for support (who has an account, which
invitations went out, the correction requests). Writes go through the pages and their services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from candidate_space.models import CandidateAccount, CandidateInvitation, CorrectionRequest


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CandidateAccount)
class CandidateAccountAdmin(_ReadOnly):
    list_display = ("candidate", "user", "invited_at", "activated_at")
    list_select_related = ("candidate", "user")
    raw_id_fields = ("candidate", "user", "invited_by")


@admin.register(CandidateInvitation)
class CandidateInvitationAdmin(_ReadOnly):
    list_display = ("public_id", "candidate", "created_at", "expires_at", "used_at", "superseded_at")
    list_select_related = ("candidate",)
    exclude = ("token_hash",)  # a digest, but still nobody's business
    raw_id_fields = ("candidate", "invited_by")


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(_ReadOnly):
    list_display = ("public_id", "candidate", "part", "status", "created_at", "handled_at")
    list_filter = ("status", "part")
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate", "handled_by")
