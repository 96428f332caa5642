from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from reference import services
from reference.models import (
    EscoImport,
    EscoOccupation,
    EscoSkill,
    IscoGroup,
    OccupationSkillRelation,
    QualificationLevelEquivalence,
    SalaryThreshold,
    ShortageList,
    ShortageListEntry,
    ShortageListOccupation,
)


class MatchingReferenceAdminMixin:
    """Saves and deletes of reference data that matching reads wake the match sweeper (the matches
    record a fingerprint of the reference facts, so the sweeper sees which ones are now stale)."""

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        services.reference_data_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.reference_row_delete(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        services.reference_data_changed()


@admin.register(IscoGroup)
class IscoGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "label_en", "label_nl", "label_fr", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "label_en", "label_nl", "label_fr")


class OccupationSkillInline(admin.TabularInline):
    model = OccupationSkillRelation
    autocomplete_fields = ("skill",)
    extra = 0


@admin.register(EscoOccupation)
class EscoOccupationAdmin(admin.ModelAdmin):
    list_display = (
        "label_en",
        "label_nl",
        "label_fr",
        "isco_group",
        "esco_code",
        "is_regulated",
        "esco_version",
    )
    list_filter = ("is_regulated", "esco_version", "isco_group__parent__parent__parent")
    search_fields = ("label_en", "label_nl", "label_fr", "uri", "esco_code", "isco_group__code")
    list_select_related = ("isco_group",)
    autocomplete_fields = ("isco_group",)
    inlines = [OccupationSkillInline]


@admin.register(EscoSkill)
class EscoSkillAdmin(admin.ModelAdmin):
    list_display = ("label_en", "label_nl", "label_fr", "skill_type", "reuse_level", "esco_version")
    list_filter = ("skill_type", "reuse_level", "esco_version")
    search_fields = ("label_en", "label_nl", "label_fr", "uri")


@admin.register(OccupationSkillRelation)
class OccupationSkillRelationAdmin(admin.ModelAdmin):
    list_display = ("occupation", "skill", "relation_type")
    list_filter = ("relation_type",)
    search_fields = ("occupation__label_en", "skill__label_en")
    list_select_related = ("occupation", "skill")
    autocomplete_fields = ("occupation", "skill")


@admin.register(EscoImport)
class EscoImportAdmin(admin.ModelAdmin):
    list_display = (
        "esco_version",
        "started_at",
        "source",
        "isco_groups",
        "occupations",
        "skills",
        "relations",
    )
    list_filter = ("esco_version",)
    search_fields = ("source",)


class ShortageListOccupationInline(admin.TabularInline):
    model = ShortageListOccupation
    autocomplete_fields = ("occupation",)
    extra = 0


class ShortageListEntryInline(admin.TabularInline):
    model = ShortageListEntry
    fields = ("title_nl", "title_fr", "title_en", "isco_code", "competent_code", "verified")
    extra = 0
    show_change_link = True


@admin.register(ShortageList)
class ShortageListAdmin(MatchingReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "region", "valid_from", "valid_to")
    list_filter = ("kind", "region")
    search_fields = ("title", "legal_reference")
    date_hierarchy = "valid_from"
    inlines = [ShortageListEntryInline]


@admin.register(ShortageListEntry)
class ShortageListEntryAdmin(MatchingReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("title_nl", "shortage_list", "isco_code", "competent_code", "verified")
    list_filter = (
        "shortage_list",
        "verified",
        "cause_quantitative",
        "cause_qualitative",
        "cause_working_conditions",
    )
    search_fields = ("title_nl", "title_fr", "title_en", "isco_code", "competent_code")
    list_select_related = ("shortage_list",)
    inlines = [ShortageListOccupationInline]


@admin.register(SalaryThreshold)
class SalaryThresholdAdmin(MatchingReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("region", "category", "valid_from", "valid_to", "annual_gross_eur", "confirmed")
    list_filter = ("region", "category", "confirmed")
    search_fields = ("basis_note", "source")
    date_hierarchy = "valid_from"


@admin.register(QualificationLevelEquivalence)
class QualificationLevelEquivalenceAdmin(MatchingReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("isced_level", "vks_min", "vks_max", "note")
