"""Placements of a partner's candidates: the current stage and the history of moves.

Partners read stages, dates and reason codes only: never who made a move, nor a recruiter's or
employer's comment.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import MomentField, StrictChoiceField, StrictDateTimeField
from api.serializers.common import ReadModelSerializer
from recruitment.models import Placement, PlacementStage, PlacementTransition


class PlacementMoveSerializer(ReadModelSerializer):
    class Meta:
        model = PlacementTransition
        fields = ("from_stage", "to_stage", "at", "reason")


class PlacementSerializer(ReadModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    candidate = serializers.UUIDField(source="candidate.public_id", read_only=True)
    candidate_external_id = serializers.CharField(source="candidate.external_id", read_only=True)
    vacancy = serializers.UUIDField(source="vacancy.public_id", read_only=True)
    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    history = PlacementMoveSerializer(source="transitions", many=True, read_only=True)

    class Meta:
        model = Placement
        fields = (
            "id",
            "candidate",
            "candidate_external_id",
            "vacancy",
            "vacancy_title",
            "stage",
            "stage_changed_at",
            "reason",
            "created_at",
            "history",
        )


class PlacementFilterSerializer(serializers.Serializer):
    candidate = serializers.UUIDField(required=False, help_text=_("The candidate's id."))
    vacancy = serializers.UUIDField(required=False, help_text=_("The vacancy's id."))
    stage = StrictChoiceField(choices=PlacementStage.choices, required=False)
    updated_since = MomentField(
        required=False, help_text=_("Moved at or after this moment (its stage_changed_at), with a time zone.")
    )
    changed_since = StrictDateTimeField(
        required=False, help_text=_("Deprecated: the same as updated_since, without a time zone required.")
    )
