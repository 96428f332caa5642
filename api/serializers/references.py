"""References to other records in a request body: strict about the JSON type, scoped to the client.

Each field gets the records it may point to from ``scope(organisation)`` (the calling partner, from the
serializer context). A reference the client may not use (another partner's project, a programme of a
project it is not in) reads exactly like one that does not exist, so the answer reveals nothing.

A field reads its reference with one query. For many bodies at once (the bulk endpoint: a hundred
candidates, each naming occupations, skills, programmes, recipients) ``References.resolve`` reads every
reference of every body first, one query per kind, and the fields take them from there (the serializer
context's ``references``). Only what is found there is taken from there; anything else goes through the
field's own query, so each answer stays exactly the one the field gives on its own.
"""

from collections.abc import Callable, Hashable, Iterable
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
    lookup_field = "pk"  # the model field a reference names

    def scoped_queryset(self) -> QuerySet[Any]:
        organisation = self.context.get("organisation")  # type: ignore[attr-defined]
        if organisation is None:
            raise AssertionError("scoped references need the partner organisation in the context")
        return self.scope(organisation)

    @property
    def reference_kind(self) -> Hashable:
        """What this field's references have in common with other fields' (the same scope and key), so
        that they are read together."""
        return (type(self), self.scope, self.lookup_field)

    def shared_queryset(self) -> QuerySet[Any]:
        """Records every body of the request may name here (a subset of ``scoped_queryset`` when that
        depends on the body)."""
        return self.scoped_queryset()

    def readable(self, data: Any) -> bool:
        """Whether ``data`` is a value this field would look up (not one it refuses by its type)."""
        raise NotImplementedError

    def read_ahead(self, data: Any) -> Model | None:
        """The record ``References.resolve`` found for ``data``, or None (then the field queries)."""
        references = self.context.get("references")  # type: ignore[attr-defined]
        return references.get(self.reference_kind, data) if references is not None else None


class References:
    """The references of many request bodies, read ahead: one query per kind of reference."""

    def __init__(self, found: dict[Hashable, dict[Any, Model]]) -> None:
        self._found = found

    def get(self, kind: Hashable, value: Any) -> Model | None:
        return self._found.get(kind, {}).get(value)

    @classmethod
    def resolve(cls, serializer: serializers.BaseSerializer, bodies: Iterable[Any]) -> "References":
        """Every scoped reference ``bodies`` name where ``serializer`` (unbound, with the context the
        fields need) would look them up."""
        wanted: dict[Hashable, tuple[_Scoped, set[Any]]] = {}
        leads: dict[int, bool] = {}
        children: dict[int, tuple[tuple[str, Any], ...]] = {}
        for body in bodies:
            _collect(serializer, body, wanted, leads, children)
        found: dict[Hashable, dict[Any, Model]] = {}
        for kind, (field, values) in wanted.items():
            queryset = field.shared_queryset()
            if not queryset.ordered:
                queryset = queryset.order_by("pk")
            records: dict[Any, Model] = {}
            for record in queryset.filter(**{f"{field.lookup_field}__in": values}):
                # The first in the queryset's order, as the field's own ``.first()`` / ``.get()``.
                records.setdefault(getattr(record, field.lookup_field), record)
            found[kind] = records
        return cls(found)


def _leads_to_references(field: Any, leads: dict[int, bool]) -> bool:
    """Whether ``field`` is a scoped reference or holds one (memo ``leads``: by field, for the walk)."""
    if id(field) not in leads:
        if isinstance(field, _Scoped):
            leads[id(field)] = True
        elif isinstance(field, serializers.ListSerializer | serializers.ListField):
            leads[id(field)] = _leads_to_references(field.child, leads)
        elif isinstance(field, serializers.Serializer):
            leads[id(field)] = any(_leads_to_references(child, leads) for child in field.fields.values())
        else:
            leads[id(field)] = False
    return leads[id(field)]


def _children_with_references(
    serializer: serializers.Serializer,
    leads: dict[int, bool],
    children: dict[int, tuple[tuple[str, Any], ...]],
) -> tuple[tuple[str, Any], ...]:
    """The writable fields of ``serializer`` that are or hold a scoped reference, by name (memo
    ``children``: the same for every body, so worked out once per request)."""
    if id(serializer) not in children:
        children[id(serializer)] = tuple(
            (name, child)
            for name, child in serializer.fields.items()
            if not child.read_only and _leads_to_references(child, leads)
        )
    return children[id(serializer)]


def _collect(
    field: Any,
    data: Any,
    wanted: dict[Hashable, tuple[_Scoped, set[Any]]],
    leads: dict[int, bool],
    children: dict[int, tuple[tuple[str, Any], ...]],
) -> None:
    """Walk ``data`` along the serializer fields that would read it, noting every scoped reference
    (only into the fields that hold one: most of a body names nothing)."""
    if isinstance(field, _Scoped):
        if field.readable(data):
            wanted.setdefault(field.reference_kind, (field, set()))[1].add(data)
    elif isinstance(field, serializers.ListSerializer | serializers.ListField):
        if isinstance(data, list):
            for item in data:
                _collect(field.child, item, wanted, leads, children)
    elif isinstance(field, serializers.Serializer) and isinstance(data, dict):
        for name, child in _children_with_references(field, leads, children):
            if name in data:
                _collect(child, data[name], wanted, leads, children)


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(_Scoped, serializers.PrimaryKeyRelatedField):
    """A reference by numeric id: a JSON integer from 1 to 2^63-1."""

    default_error_messages = {"does_not_exist": _("No such reference: {pk_value}.")}

    def __init__(self, *, scope: Scope, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_queryset()

    def readable(self, data: Any) -> bool:
        return isinstance(data, int) and not isinstance(data, bool) and 1 <= data <= BIGINT_MAX

    def to_internal_value(self, data: Any) -> Model:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= BIGINT_MAX:
            self.fail("does_not_exist", pk_value=data)
        return self.read_ahead(data) or super().to_internal_value(data)


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
        self.lookup_field = self.slug_field

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_queryset()

    def readable(self, data: Any) -> bool:
        return isinstance(data, str) and len(data) <= 255

    def to_internal_value(self, data: Any) -> Model:
        if not isinstance(data, str) or len(data) > 255:
            self.fail("invalid")
        match = self.read_ahead(data) or self.get_queryset().filter(**{self.slug_field: data}).first()
        if match is None:
            self.fail("does_not_exist", value=data)
        return match


def everyone(model: type[Model]) -> Scope:
    """Shared reference data (ESCO occupations and skills): the same for every client."""
    return lambda organisation: model._default_manager.all()
