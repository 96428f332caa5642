"""Shapes shared by several endpoints: problem details (for the schema) and bulk results."""

from collections.abc import MutableMapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import MomentField


class FieldErrorSerializer(serializers.Serializer):
    pointer = serializers.CharField(
        required=False, help_text=_("JSON pointer into the request body, e.g. #/languages/0/reading.")
    )
    parameter = serializers.CharField(required=False, help_text=_("The query parameter at fault."))
    header = serializers.CharField(required=False, help_text=_("The request header at fault."))
    detail = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details: every error of this API has this shape."""

    type = serializers.CharField(
        help_text=_("A URN naming the kind of problem, e.g. urn:talentbrug:problem:not-found.")
    )
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(help_text=_("The path of the request."))
    errors = FieldErrorSerializer(many=True, required=False)  # type: ignore[assignment]


class BulkItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the item in the request, from 0."))
    external_id = serializers.CharField(allow_null=True)
    id = serializers.UUIDField(allow_null=True, help_text=_("The candidate's id, unless the item failed."))
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged", "error"])
    errors = FieldErrorSerializer(many=True)  # type: ignore[assignment]


class BulkSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


class BulkResultSerializer(serializers.Serializer):
    results = BulkItemResultSerializer(many=True)
    summary = BulkSummarySerializer()


class ReadModelSerializer(serializers.ModelSerializer):
    """An output serializer: every field read-only, but the schema still says which may be blank.

    DRF drops ``allow_blank`` from read-only fields, so a choice field that may be empty (a pay category
    not yet known, a CEFR level not assessed) would be documented without ``""`` and a schema-driven
    client would reject the answer.
    """

    def include_extra_kwargs(
        self, kwargs: MutableMapping[str, Any], extra_kwargs: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        blank = kwargs.get("allow_blank")
        result = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank is not None:
            result["allow_blank"] = blank
        return result

    def get_extra_kwargs(self) -> dict[str, Any]:
        extra: dict[str, Any] = super().get_extra_kwargs()
        for name in getattr(self.Meta, "fields", ()):
            extra.setdefault(name, {})["read_only"] = True
        return extra


class RemovedSinceSerializer(serializers.Serializer):
    """Query parameters of the lists of what left a partner's view."""

    updated_since = MomentField(help_text=_("Removed at or after this moment, with a time zone."))
