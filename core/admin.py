from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, User, WorkerHeartbeat


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
