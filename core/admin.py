from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob, Organisation, User, WorkerHeartbeat


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "region", "enterprise_number", "compliance_status")
    list_filter = ("kind", "country", "region", "compliance_status")
    search_fields = ("name", "short_name", "enterprise_number")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "organisation", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active", "organisation__kind")
    search_fields = ("username", "email", "first_name", "last_name", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation and role"), {"fields": ("organisation", "role", "preferred_language")}),
    )
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        (_("Organisation and role"), {"fields": ("organisation", "role", "preferred_language")}),
    )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker", "seen_at", "beats")
    readonly_fields = ("worker", "seen_at", "beats")


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """Read-only: a job row is written by the work it records, never by hand."""

    list_display = ("public_id", "kind", "status", "done", "total", "requested_by", "finished_at")
    list_filter = ("kind", "status")
    list_select_related = ("requested_by",)
    readonly_fields = (
        "public_id",
        "kind",
        "status",
        "requested_by",
        "subject_ids",
        "total",
        "done",
        "created_at",
        "started_at",
        "finished_at",
        "error",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: BackgroundJob | None = None) -> bool:
        return False
