from django.contrib import admin

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    RecruitmentCost,
    TrainingEnrolment,
    WorkExperience,
)


class LanguageInline(admin.TabularInline):
    model = LanguageProficiency
    extra = 0


class DiplomaInline(admin.TabularInline):
    model = Diploma
    extra = 0
    show_change_link = True


class ExperienceInline(admin.TabularInline):
    model = WorkExperience
    autocomplete_fields = ("occupation",)
    extra = 0


class SkillInline(admin.TabularInline):
    model = CandidateSkill
    autocomplete_fields = ("skill",)
    raw_id_fields = ("verified_by",)
    extra = 0


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    raw_id_fields = ("recipient",)
    extra = 0


class CostInline(admin.TabularInline):
    model = RecruitmentCost
    raw_id_fields = ("project", "payer_organisation")
    extra = 0


class EnrolmentInline(admin.TabularInline):
    model = TrainingEnrolment
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = (
        "family_name",
        "given_name",
        "registered_by",
        "project",
        "cohort",
        "country_of_residence",
        "available_from",
        "status",
    )
    list_filter = (
        "status",
        "project",
        "cohort",
        "country_of_residence",
        "registered_by",
        "currently_in_belgium",
    )
    search_fields = ("family_name", "given_name", "external_id", "email")
    list_select_related = ("registered_by", "project", "cohort")
    raw_id_fields = ("registered_by", "project", "cohort")
    autocomplete_fields = ("desired_occupations",)
    readonly_fields = ("public_id", "created_at", "updated_at")
    inlines = [
        LanguageInline,
        DiplomaInline,
        ExperienceInline,
        SkillInline,
        LicenceInline,
        EnrolmentInline,
        ConsentInline,
        CostInline,
    ]


@admin.register(LanguageProficiency)
class LanguageProficiencyAdmin(admin.ModelAdmin):
    list_display = (
        "candidate",
        "language",
        "listening",
        "reading",
        "spoken_interaction",
        "spoken_production",
        "writing",
        "nt2_level",
    )
    list_filter = ("language", "evidence", "spoken_interaction")
    search_fields = ("candidate__family_name", "candidate__external_id")
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate",)


class RecognitionStepInline(admin.TabularInline):
    model = RecognitionStep
    extra = 0


@admin.register(Diploma)
class DiplomaAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "candidate",
        "institution",
        "country",
        "isced_level",
        "institution_state_recognised",
    )
    list_filter = ("isced_level", "country", "institution_state_recognised", "is_private_institution")
    search_fields = ("title", "institution", "candidate__family_name")
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate",)
    inlines = [RecognitionStepInline]


@admin.register(RecognitionStep)
class RecognitionStepAdmin(admin.ModelAdmin):
    list_display = ("diploma", "authority", "outcome", "requested_on", "decided_on")
    list_filter = ("authority", "outcome")
    search_fields = ("diploma__title", "reference", "diploma__candidate__family_name")
    list_select_related = ("diploma",)
    raw_id_fields = ("diploma",)


@admin.register(WorkExperience)
class WorkExperienceAdmin(admin.ModelAdmin):
    list_display = ("candidate", "occupation", "country", "started_on", "ended_on", "fte")
    list_filter = ("country",)
    search_fields = ("candidate__family_name", "occupation__label_en", "job_title")
    list_select_related = ("candidate", "occupation")
    raw_id_fields = ("candidate",)
    autocomplete_fields = ("occupation",)


@admin.register(CandidateSkill)
class CandidateSkillAdmin(admin.ModelAdmin):
    list_display = ("candidate", "skill", "evidence", "verified_on")
    list_filter = ("evidence",)
    search_fields = ("candidate__family_name", "skill__label_en")
    list_select_related = ("candidate", "skill")
    raw_id_fields = ("candidate", "verified_by")
    autocomplete_fields = ("skill",)


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ("candidate", "kind", "issuing_country", "valid_until", "valid_or_exchangeable_in_belgium")
    list_filter = ("kind", "valid_or_exchangeable_in_belgium")
    search_fields = ("candidate__family_name",)
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate",)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("candidate", "purpose", "recipient", "text_version", "granted_at", "withdrawn_at")
    list_filter = ("purpose", "text_version")
    search_fields = ("candidate__family_name", "recipient__name")
    list_select_related = ("candidate", "recipient")
    raw_id_fields = ("candidate", "recipient")


@admin.register(RecruitmentCost)
class RecruitmentCostAdmin(admin.ModelAdmin):
    list_display = ("candidate", "cost_type", "amount", "currency", "paid_by", "incurred_on", "repaid_on")
    list_filter = ("paid_by", "cost_type")
    search_fields = ("candidate__family_name", "evidence")
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate", "project", "payer_organisation")


@admin.register(TrainingEnrolment)
class TrainingEnrolmentAdmin(admin.ModelAdmin):
    list_display = (
        "candidate",
        "programme",
        "status",
        "dutch_level_reached",
        "expected_end_on",
        "completed_on",
    )
    list_filter = ("status", "programme", "dutch_level_reached")
    search_fields = ("candidate__family_name", "programme__name")
    list_select_related = ("candidate", "programme")
    raw_id_fields = ("candidate",)
