"""References to other records in a request body: strict about the JSON type, scoped to the client.

Each field gets the records it may point to from ``scope(organisation)`` (the calling partner, from the
serializer context). A reference the client may not use (another partner's project, a programme of a
project it is not in) reads exactly like one that does not exist, so the answer reveals nothing.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import BIGINT_MAX
from core.models import Organisation

Scope = Callable[[Organisation], QuerySet[Any]]


class _Scoped:
    scope: Scope

    def scoped_queryset(self) -> QuerySet[Any]:
        organisation = self.context.get("organisation")  # type: ignore[attr-defined]
        if organisation is None:
            raise AssertionError("scoped references need the partner organisation in the context")
        return self.scope(organisation)


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(_Scoped, serializers.PrimaryKeyRelatedField):
    """A reference by numeric id: a JSON integer from 1 to 2^63-1."""

    default_error_messages = {"does_not_exist": _("No such reference: {pk_value}.")}

    def __init__(self, *, scope: Scope, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_queryset()

    def to_internal_value(self, data: Any) -> Model:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= BIGINT_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.STR)
class ScopedKeyField(_Scoped, serializers.SlugRelatedField):
    """A reference by a string key (an ESCO URI, a project code)."""

    default_error_messages = {
        "does_not_exist": _("No such reference: {value}."),
        "invalid": _("A string is required."),
    }

    def __init__(self, *, scope: Scope, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_queryset()

    def to_internal_value(self, data: Any) -> Model:
        if not isinstance(data, str) or len(data) > 255:
            self.fail("invalid")
        match = self.get_queryset().filter(**{self.slug_field: data}).first()
        if match is None:
            self.fail("does_not_exist", value=data)
        return match


def everyone(model: type[Model]) -> Scope:
    """Shared reference data (ESCO occupations and skills): the same for every client."""
    return lambda organisation: model._default_manager.all()
