"""Operators' views of stored matches and match jobs: read-only, the recompute alone writes them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from recruitment.models import Match, MatchJob


class ReadOnlyAdmin(admin.ModelAdmin):
    """No adding or editing. Deleting keeps the model permission: deleting a vacancy or a candidate
    cascades to these rows, and the admin refuses a cascade the user may not delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("vacancy", "candidate", "outcome", "score", "algorithm_version", "reference_date")
    list_filter = ("outcome", "algorithm_version")
    list_select_related = ("vacancy", "candidate")
    raw_id_fields = ("vacancy", "candidate")
    search_fields = ("vacancy__title",)


@admin.register(MatchJob)
class MatchJobAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "kind",
        "vacancy",
        "candidate",
        "status",
        "attempts",
        "created_at",
        "finished_at",
        "added",
        "updated",
        "removed",
        "held",
        "superseded",
        "error",
    )
    list_filter = ("status", "kind", "superseded", "error")
    list_select_related = ("vacancy", "candidate")
    raw_id_fields = ("vacancy", "candidate")
    date_hierarchy = "created_at"
