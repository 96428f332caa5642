"""Writing a read serializer's answer from plain rows, for the lists where DRF's machinery is the cost.

A page of 50 candidates has some 700 nested objects. Written the usual way, Django builds a model
instance for each (and a manager and a queryset clone per prefetched parent), and DRF walks every field of
every object (field lookup, ``get_attribute``, callable checks): most of the request's time, for a few
hundred kilobytes of JSON. A ``RowWriter`` writes the same answer from ``.values()`` rows instead: the
serializer class stays the declaration (the OpenAPI schema comes from it), its fields are resolved once
per process, and each value still goes through its field's own ``to_representation``, so dates, moments,
decimals and choices come out byte for byte as DRF writes them.

Fields a writer cannot read from a row (nested serializers, method fields, many-to-many) are *computed*:
the caller gives them, already written, in the serializer's order of fields.
"""

from collections.abc import Callable, Mapping
from typing import Any, cast

from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject


def _identity(value: Any) -> Any:
    return value


def _is_computed(field: serializers.Field) -> bool:
    return (
        isinstance(
            field,
            serializers.BaseSerializer | serializers.SerializerMethodField | serializers.ManyRelatedField,
        )
        or field.source == "*"
    )


def _column(field: serializers.Field) -> tuple[str, Callable[[Any], Any]]:
    """The ``.values()`` lookup that holds the field's value, and what writes it."""
    path = "__".join(field.source_attrs)
    if isinstance(field, serializers.SlugRelatedField):
        return f"{path}__{field.slug_field}", _identity  # DRF writes the related object's slug
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        assert field.pk_field is None, "a pk_field would format the id: not supported here"
        return path, _identity  # ``.values("fk")`` is the related id, which DRF writes as it is
    assert not isinstance(field, serializers.RelatedField), f"{type(field).__name__} is not supported"
    # DRF's own ``str(value)`` and ``int(value)``, called directly: most values of a page are these.
    method = type(field).to_representation
    if method is serializers.CharField.to_representation:
        return path, str
    if method is serializers.IntegerField.to_representation:
        return path, int
    return path, field.to_representation


class RowWriter:
    """The answer of one serializer class, written from a row (``row``) or an object (``object``)."""

    def __init__(self, serializer_class: type[serializers.BaseSerializer]) -> None:
        fields: dict[str, serializers.Field] = dict(serializer_class().fields)  # type: ignore[attr-defined]
        # In the serializer's order: (name, column, writer, field); column None: a computed field.
        self._plan: list[tuple[str, str | None, Callable[[Any], Any], serializers.Field]] = []
        for name, field in fields.items():
            if _is_computed(field):
                self._plan.append((name, None, _identity, field))
            else:
                self._plan.append((name, *_column(field), field))
        self.computed = frozenset(name for name, column, _, _ in self._plan if column is None)
        # The computed fields that are nested lists: their source (the relation) and serializer class.
        self.lists: dict[str, tuple[str, type[serializers.BaseSerializer]]] = {
            name: (str(field.source), type(cast(serializers.BaseSerializer, field.child)))
            for name, field in fields.items()
            if isinstance(field, serializers.ListSerializer)
        }
        # What to ask ``.values()`` for: each column once.
        self.columns: tuple[str, ...] = tuple(
            dict.fromkeys(column for _, column, _, _ in self._plan if column is not None)
        )

    def row(self, row: Mapping[str, Any], computed: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The answer for a ``.values(*self.columns)`` row (None stays None, as DRF leaves it), with the
        computed fields taken from ``computed``."""
        written = {}
        for name, column, write, _field in self._plan:
            if column is None:
                written[name] = computed[name]  # type: ignore[index]
            else:
                value = row[column]
                written[name] = None if value is None else write(value)
        return written

    def object(self, instance: Any, computed: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The answer for a model instance: DRF's own ``get_attribute`` and ``to_representation`` per
        field, as ``Serializer.to_representation`` does them (without its per-object field machinery)."""
        written = {}
        for name, column, _write, field in self._plan:
            if column is None:
                written[name] = computed[name]  # type: ignore[index]
                continue
            try:
                value = field.get_attribute(instance)
            except SkipField:
                continue
            present = value.pk if isinstance(value, PKOnlyObject) else value
            written[name] = None if present is None else field.to_representation(value)
        return written


_writers: dict[type[serializers.BaseSerializer], RowWriter] = {}


def writer(serializer_class: type[serializers.BaseSerializer]) -> RowWriter:
    """One writer per serializer class and process: building a model serializer's fields costs more
    than writing a page with them."""
    found = _writers.get(serializer_class)
    if found is None:
        found = _writers[serializer_class] = RowWriter(serializer_class)
    return found
