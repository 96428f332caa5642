from django.contrib import admin

from vacancies.models import Vacancy, VacancyLanguageRequirement, VacancySkill


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


@admin.register(VacancySkill)
class VacancySkillAdmin(admin.ModelAdmin):
    list_display = ("vacancy", "skill", "relation_type")
    list_filter = ("relation_type",)
    search_fields = ("vacancy__title", "skill__label_en")
    list_select_related = ("vacancy", "skill")
    raw_id_fields = ("vacancy",)
    autocomplete_fields = ("skill",)


@admin.register(VacancyLanguageRequirement)
class VacancyLanguageRequirementAdmin(admin.ModelAdmin):
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
