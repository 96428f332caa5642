"""Agreements in the Django admin: read only, never deleted (an agreement ends by its end date), and
read-only shares (they are the sync's to write)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from agreements.models import Agreement, VacancyShare
from agreements.services import vacancy_delete_telling_agencies
from vacancies import admin as vacancies_admin
from vacancies.models import Vacancy


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

    def has_delete_permission(self, request: HttpRequest, obj: Agreement | None = None) -> bool:
        # A delete would cascade to its shares with no ``vacancy.closed`` event to the agencies: an
        # agreement ends by its end date instead (the sync then withdraws its shares and tells them).
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

    def has_delete_permission(self, request: HttpRequest, obj: VacancyShare | None = None) -> bool:
        # Likewise: a share is withdrawn by the sync (with its event), never deleted by hand.
        return False


# --- Deleting a vacancy tells the agencies it is shared with ----------------------------------------
# The vacancy's admin lives in ``vacancies``, below this app: it cannot call the agreements. Registered
# again here (``agreements`` is installed after ``vacancies``), its deletes go through
# ``vacancy_delete_telling_agencies``: a ``vacancy.closed`` to each agency with a share in force, in the
# transaction of the delete that cascades the shares.


class VacancyAdmin(vacancies_admin.VacancyAdmin):
    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, set[str], Any]:
        # A share cannot be deleted by hand (above), but goes with its vacancy once its agency is told.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed - {str(VacancyShare._meta.verbose_name)}, protected

    def delete_model(self, request: HttpRequest, obj: Vacancy) -> None:
        vacancy_delete_telling_agencies(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Vacancy]) -> None:
        for vacancy in queryset:
            vacancy_delete_telling_agencies(vacancy)


admin.site.unregister(Vacancy)
admin.site.register(Vacancy, VacancyAdmin)
