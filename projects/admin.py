from django.contrib import admin

from projects.models import Cohort, FunnelRecord, Project, ProjectFunding, ProjectPartner, TrainingProgramme


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


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "status", "starts_on", "ends_on", "budget_eur", "target_beneficiaries")
    list_filter = ("status",)
    search_fields = ("name", "code", "full_name", "description")
    date_hierarchy = "starts_on"
    filter_horizontal = ("target_occupations",)
    inlines = [ProjectPartnerInline, ProjectFundingInline, CohortInline, FunnelRecordInline]


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
