from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from projects.models import (
    Cohort,
    FunnelRecord,
    FunnelTarget,
    Project,
    ProjectFunding,
    ProjectPartner,
    TrainingProgramme,
)


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    autocomplete_fields = ("organisation",)
    extra = 0


class ProjectFundingInline(admin.TabularInline):
    model = ProjectFunding
    autocomplete_fields = ("funder_organisation",)
    extra = 0


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    show_change_link = True


class FunnelRecordInline(admin.TabularInline):
    model = FunnelRecord
    extra = 0


class FunnelTargetInline(admin.TabularInline):
    """The targets of the project's live funnel: leave the cohort empty for the whole project."""

    model = FunnelTarget
    extra = 0
    fields = ("step", "cohort", "count")

    def formfield_for_foreignkey(
        self, db_field: "ForeignKey[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> "ModelChoiceField[Any] | None":
        # Offer only the cohorts of the project being edited (the model's clean() refuses any other).
        if db_field.name == "cohort":
            match = request.resolver_match
            project_id = str(match.kwargs.get("object_id") or "") if match is not None else ""
            cohorts = Cohort.objects.select_related("project")
            kwargs["queryset"] = (
                cohorts.filter(project_id=project_id) if project_id.isdigit() else cohorts.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "status", "starts_on", "ends_on", "budget_eur", "target_beneficiaries")
    list_filter = ("status",)
    search_fields = ("name", "code", "full_name", "description")
    date_hierarchy = "starts_on"
    filter_horizontal = ("target_occupations",)
    inlines = [
        ProjectPartnerInline,
        ProjectFundingInline,
        CohortInline,
        FunnelTargetInline,
        FunnelRecordInline,
    ]


@admin.register(ProjectPartner)
class ProjectPartnerAdmin(admin.ModelAdmin):
    list_display = ("project", "organisation", "role", "no_fee_attested_on")
    list_filter = ("role", "project")
    search_fields = ("organisation__name", "project__name")
    list_select_related = ("project", "organisation")
    autocomplete_fields = ("organisation", "project")


@admin.register(ProjectFunding)
class ProjectFundingAdmin(admin.ModelAdmin):
    list_display = ("project", "funder", "amount_eur", "share_percent")
    list_filter = ("project",)
    search_fields = ("funder", "project__name")
    list_select_related = ("project",)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "starts_on", "ends_on", "planned_size")
    list_filter = ("project",)
    search_fields = ("name", "project__name")
    list_select_related = ("project",)


@admin.register(TrainingProgramme)
class TrainingProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "cohort", "provider", "dutch_target_level", "duration_months")
    list_filter = ("project", "dutch_target_level", "includes_civic_orientation", "includes_soft_skills")
    search_fields = ("name", "project__name", "provider__name")
    list_select_related = ("project", "cohort", "provider")


@admin.register(FunnelRecord)
class FunnelRecordAdmin(admin.ModelAdmin):
    list_display = ("project", "cohort", "stage", "count", "as_of", "verified", "source")
    list_filter = ("project", "stage", "verified")
    search_fields = ("project__name", "source", "note")
    list_select_related = ("project", "cohort")


@admin.register(FunnelTarget)
class FunnelTargetAdmin(admin.ModelAdmin):
    list_display = ("project", "cohort", "step", "count")
    list_filter = ("project", "step")
    search_fields = ("project__name", "cohort__name")
    list_select_related = ("project", "cohort")
    autocomplete_fields = ("project", "cohort")
