"""Operators' views of stored matches and match jobs (read-only: the recompute alone writes them) and of
placements (read-only too: a case moves only through the workflow, in the recruiters' pages)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.models import User
from recruitment.matching.facts import WEIGHT_CRITERIA
from recruitment.models import (
    CandidateNote,
    Match,
    MatchJob,
    Placement,
    PlacementTransition,
    ProjectWeights,
)
from recruitment.services.weights import project_weights_reset, project_weights_set


class ReadOnlyAdmin(admin.ModelAdmin):
    """No adding or editing. Deleting keeps the model permission: deleting a vacancy or a candidate
    cascades to these rows, and the admin refuses a cascade the user may not delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("vacancy", "candidate", "outcome", "score", "algorithm_version", "reference_date")
    list_filter = ("outcome", "algorithm_version")
    list_select_related = ("vacancy", "candidate")
    raw_id_fields = ("vacancy", "candidate")
    search_fields = ("vacancy__title",)


@admin.register(MatchJob)
class MatchJobAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "kind",
        "vacancy",
        "candidate",
        "status",
        "attempts",
        "created_at",
        "finished_at",
        "added",
        "updated",
        "removed",
        "held",
        "superseded",
        "error",
    )
    list_filter = ("status", "kind", "superseded", "error")
    list_select_related = ("vacancy", "candidate")
    raw_id_fields = ("vacancy", "candidate")
    date_hierarchy = "created_at"


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(ProjectWeights)
class ProjectWeightsAdmin(admin.ModelAdmin):
    """A project's weights of the match score (docs/matching.md). Saved and deleted through
    ``recruitment.services.weights``: it records who changed them and queues the recomputes."""

    list_display = ("project", *WEIGHT_CRITERIA, "changed_by", "changed_at")
    list_select_related = ("project", "changed_by")
    fields = ("project", *WEIGHT_CRITERIA, "changed_by", "changed_at")
    readonly_fields = ("changed_by", "changed_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("project", *self.readonly_fields) if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ProjectWeights, form: Any, change: bool) -> None:
        weights = {name: getattr(obj, name) for name in WEIGHT_CRITERIA}
        saved = project_weights_set(project=obj.project, actor=_actor(request), **weights)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: ProjectWeights) -> None:
        project_weights_reset(project=obj.project, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for row in queryset.select_related("project"):
            project_weights_reset(project=row.project, actor=_actor(request))


class PlacementTransitionInline(admin.TabularInline):
    model = PlacementTransition
    extra = 0
    can_delete = False
    fields = ("at", "from_stage", "to_stage", "actor", "actor_organisation", "reason", "comment")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("vacancy", "candidate", "stage", "stage_changed_at", "response_due_on", "reason")
    list_filter = ("stage", "reason")
    list_select_related = ("vacancy", "candidate")
    raw_id_fields = ("vacancy", "candidate", "created_by")
    search_fields = ("vacancy__title", "candidate__external_id")
    date_hierarchy = "stage_changed_at"
    inlines = [PlacementTransitionInline]


@admin.register(CandidateNote)
class CandidateNoteAdmin(ReadOnlyAdmin):
    """Recruiters' notes, read-only here: they are written from the candidate's page
    (``recruitment.services.notes``), which records the author."""

    list_display = ("candidate", "author", "placement", "created_at")
    list_select_related = ("candidate", "author", "placement")
    raw_id_fields = ("candidate", "placement", "author")
    search_fields = ("candidate__external_id",)
    date_hierarchy = "created_at"
