from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from vacancies import services
from vacancies.models import Vacancy, VacancyLanguageRequirement, VacancySkill


class RequirementChangeAdminMixin:
    """Saves and deletes of a vacancy's requirement rows mark the vacancy's matches stale."""

    # The admin calls save_related after save_model on every save.
    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        services.vacancy_requirements_changed(form.instance.vacancy_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        vacancy_id = obj.vacancy_id
        super().delete_model(request, obj)  # type: ignore[misc]
        services.vacancy_requirements_changed(vacancy_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        vacancy_ids = set(queryset.values_list("vacancy_id", flat=True))
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for vacancy_id in vacancy_ids:
            services.vacancy_requirements_changed(vacancy_id)


class VacancySkillInline(admin.TabularInline):
    model = VacancySkill
    autocomplete_fields = ("skill",)
    extra = 0


class LanguageRequirementInline(admin.TabularInline):
    model = VacancyLanguageRequirement
    extra = 0


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "employer",
        "occupation",
        "municipality",
        "region",
        "gross_annual_salary_eur",
        "positions",
        "status",
    )
    list_filter = ("status", "region", "contract_type", "function_vks_level", "open_to_projects")
    search_fields = (
        "title",
        "employer__name",
        "occupation__label_en",
        "occupation__label_nl",
        "municipality",
    )
    list_select_related = ("employer", "occupation")
    raw_id_fields = ("employer",)
    autocomplete_fields = ("occupation",)
    filter_horizontal = ("open_to_projects",)
    readonly_fields = ("public_id", "created_at", "updated_at")
    date_hierarchy = "created_at"
    inlines = [LanguageRequirementInline, VacancySkillInline]

    # Saves go through the services: the vacancy is saved without its match stamps, and once the inlines
    # and projects are saved too its matches are marked stale, all in the admin's one transaction.
    def save_model(self, request: HttpRequest, obj: Vacancy, form: ModelForm, change: bool) -> None:
        services.vacancy_save(obj, mark_stale=False)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.vacancy_requirements_changed(form.instance.pk)

    def delete_model(self, request: HttpRequest, obj: Vacancy) -> None:
        services.vacancy_delete(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Vacancy]) -> None:
        for vacancy in queryset:
            services.vacancy_delete(vacancy)


@admin.register(VacancySkill)
class VacancySkillAdmin(RequirementChangeAdminMixin, admin.ModelAdmin):
    list_display = ("vacancy", "skill", "relation_type")
    list_filter = ("relation_type",)
    search_fields = ("vacancy__title", "skill__label_en")
    list_select_related = ("vacancy", "skill")
    raw_id_fields = ("vacancy",)
    autocomplete_fields = ("skill",)


@admin.register(VacancyLanguageRequirement)
class VacancyLanguageRequirementAdmin(RequirementChangeAdminMixin, admin.ModelAdmin):
    list_display = (
        "vacancy",
        "language",
        "listening",
        "reading",
        "spoken_interaction",
        "spoken_production",
        "writing",
        "mandatory",
    )
    list_filter = ("language", "mandatory")
    search_fields = ("vacancy__title",)
    list_select_related = ("vacancy",)
    raw_id_fields = ("vacancy",)
