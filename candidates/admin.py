from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from candidates import services
from candidates.models import (
    Candidate,
    CandidateRestriction,
    CandidateSkill,
    Consent,
    ConsentWording,
    Diploma,
    LanguageProficiency,
    Licence,
    ProfileAccess,
    RecognitionStep,
    RecruitmentCost,
    TrainingEnrolment,
    WorkExperience,
)


def _owner(obj: Any) -> int:
    """The candidate a profile row belongs to (a recognition step through its diploma)."""
    return int(obj.diploma.candidate_id if isinstance(obj, RecognitionStep) else obj.candidate_id)


class ProfileChangeAdminMixin:
    """Saves and deletes of a row of a candidate's profile mark the candidate's matches stale."""

    # The admin calls save_related after save_model on every save: one bump, after inlines too.
    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        services.candidate_profile_changed(_owner(form.instance))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        candidate_id = _owner(obj)
        super().delete_model(request, obj)  # type: ignore[misc]
        services.candidate_profile_changed(candidate_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        candidate_ids = {_owner(obj) for obj in queryset}
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        services.candidate_profiles_changed(candidate_ids)


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
    # The restriction's date is the restriction service's (candidates.services.restriction).
    readonly_fields = ("public_id", "created_at", "updated_at", "restricted_at")
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

    # Saves go through the services: the candidate is saved without the version columns, and once the
    # inlines are saved too their matches are marked stale, all in the admin's one transaction.
    def save_model(self, request: HttpRequest, obj: Candidate, form: ModelForm, change: bool) -> None:
        services.candidate_save(obj, mark_stale=False)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.candidate_profile_changed(form.instance.pk)
        if any(formset.model is Consent and formset.has_changed() for formset in formsets):
            services.sharing_consents_changed(form.instance.pk)

    # No deletion here: a candidate leaves through the erasure (privacy.services.candidate_erase), which
    # keeps what a legal hold and the funders' counts need, reaches every table (their login included)
    # and records that the right was honoured. A cascading delete would do none of that.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # A restriction is the restriction service's: its record says why and what status lifting returns
    # to. Typed here, it would leave a restriction open on an active candidate, or none on a restricted
    # one (and the next restriction or lifting would fail or go back to the wrong status).
    def get_readonly_fields(self, request: HttpRequest, obj: Candidate | None = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status == Candidate.Status.RESTRICTED:
            return (*fields, "status")
        return fields

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "status":
            kwargs["choices"] = [
                (value, label) for value, label in db_field.choices if value != Candidate.Status.RESTRICTED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # The whole profile shown to an administrator: logged for the candidate, like any staff view.
        if request.method == "GET" and response.status_code == 200:
            services.profile_access_record(
                candidate_ids=[int(unquote(object_id))],
                kind=ProfileAccess.Kind.STAFF,
                what=ProfileAccess.What.ADMIN,
                user=request.user,  # type: ignore[arg-type]
            )
        return response


@admin.register(LanguageProficiency)
class LanguageProficiencyAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
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
class DiplomaAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
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
class RecognitionStepAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
    list_display = ("diploma", "authority", "outcome", "requested_on", "decided_on")
    list_filter = ("authority", "outcome")
    search_fields = ("diploma__title", "reference", "diploma__candidate__family_name")
    list_select_related = ("diploma",)
    raw_id_fields = ("diploma",)


@admin.register(WorkExperience)
class WorkExperienceAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
    list_display = ("candidate", "occupation", "country", "started_on", "ended_on", "fte")
    list_filter = ("country",)
    search_fields = ("candidate__family_name", "occupation__label_en", "job_title")
    list_select_related = ("candidate", "occupation")
    raw_id_fields = ("candidate",)
    autocomplete_fields = ("occupation",)


@admin.register(CandidateSkill)
class CandidateSkillAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
    list_display = ("candidate", "skill", "evidence", "verified_on")
    list_filter = ("evidence",)
    search_fields = ("candidate__family_name", "skill__label_en")
    list_select_related = ("candidate", "skill")
    raw_id_fields = ("candidate", "verified_by")
    autocomplete_fields = ("skill",)


@admin.register(Licence)
class LicenceAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
    list_display = ("candidate", "kind", "issuing_country", "valid_until", "valid_or_exchangeable_in_belgium")
    list_filter = ("kind", "valid_or_exchangeable_in_belgium")
    search_fields = ("candidate__family_name",)
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate",)


@admin.register(Consent)
class ConsentAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
    list_display = ("candidate", "purpose", "recipient", "text_version", "granted_at", "withdrawn_at")
    list_filter = ("purpose", "text_version")
    search_fields = ("candidate__family_name", "recipient__name")
    list_select_related = ("candidate", "recipient")
    raw_id_fields = ("candidate", "recipient")

    # A consent withdrawn or given here is followed up like one sent through the API: the cases of the
    # employer it names are flagged or unflagged, and the partner agency told.
    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.sharing_consents_changed(form.instance.candidate_id)


@admin.register(RecruitmentCost)
class RecruitmentCostAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
    list_display = ("candidate", "cost_type", "amount", "currency", "paid_by", "incurred_on", "repaid_on")
    list_filter = ("paid_by", "cost_type")
    search_fields = ("candidate__family_name", "evidence")
    list_select_related = ("candidate",)
    raw_id_fields = ("candidate", "project", "payer_organisation")


@admin.register(TrainingEnrolment)
class TrainingEnrolmentAdmin(ProfileChangeAdminMixin, admin.ModelAdmin):
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by services only: viewed here, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProfileAccess)
class ProfileAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "candidate", "viewer_kind", "viewer_organisation", "viewer_user", "what")
    list_filter = ("viewer_kind", "what")
    list_select_related = ("candidate", "viewer_organisation", "viewer_user")
    raw_id_fields = ("candidate", "viewer_organisation", "viewer_user")
    date_hierarchy = "at"


@admin.register(CandidateRestriction)
class CandidateRestrictionAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "restricted_at", "source", "restricted_by", "lifted_at", "lifted_by")
    list_select_related = ("candidate", "restricted_by", "lifted_by")
    raw_id_fields = ("candidate", "restricted_by", "lifted_by")


@admin.register(ConsentWording)
class ConsentWordingAdmin(ReadOnlyAdmin):
    """Published wordings never change (``candidates.services.consent_wording``): read here only."""

    list_display = ("purpose", "text_version", "language", "title", "published_at", "is_example")
    list_filter = ("purpose", "language", "is_example")
    search_fields = ("text_version", "title")
