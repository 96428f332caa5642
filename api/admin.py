"""Operators see which scopes each partner client may obtain (the clients and tokens themselves are in
django-oauth-toolkit's admin). Idempotency keys are plumbing and stay out of the admin."""

from django.contrib import admin

from api.models import PartnerClient


@admin.register(PartnerClient)
class PartnerClientAdmin(admin.ModelAdmin):
    list_display = ("application", "organisation", "scopes", "created_at")
    list_select_related = ("application__user__organisation",)
    readonly_fields = ("application", "created_at")

    @admin.display(description="organisation")
    def organisation(self, client: PartnerClient) -> str:
        owner = client.application.user
        return str(owner.organisation) if owner is not None and owner.organisation is not None else "-"
