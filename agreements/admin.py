"""Agreements in the Django admin: read-only shares (they are the sync's to write)."""

from django.contrib import admin
from django.http import HttpRequest

from agreements.models import Agreement, VacancyShare


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read here; created and changed on the staff pages (``agreements.services.agreement_save``), which
    validate the agreement and re-sync its vacancies."""

    list_display = ("name", "code", "kind", "partner_country", "starts_on", "ends_on")
    search_fields = ("name", "code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Agreement | None = None) -> bool:
        return False


@admin.register(VacancyShare)
class VacancyShareAdmin(admin.ModelAdmin):
    list_display = ("vacancy", "agency", "agreement", "shared_at", "withdrawn_at", "withdrawn_reason")
    list_filter = ("withdrawn_reason",)
    list_select_related = ("vacancy", "agency", "agreement")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: VacancyShare | None = None) -> bool:
        return False
