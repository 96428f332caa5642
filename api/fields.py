"""Strict input fields: a JSON value of the wrong type is an error, never silently converted.

DRF's fields are lenient (``"yes"`` is a boolean, ``12`` a string, ``"3"`` an integer). A partner's
system that sends the wrong type has a bug it should hear about, so here a string field takes only
strings, a boolean only ``true``/``false``, an integer only whole JSON numbers within the database's
range, a decimal a number or a numeric string. ``StrictSerializer`` also refuses unknown keys, so a
misspelt field, or one the client may not set (``registered_by``), is an error rather than ignored.
"""

import datetime
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import SkipField, get_error_detail
from rest_framework.settings import api_settings

BIGINT_MAX = 2**63 - 1
# JSON gives these; the type is part of a remembered value's key (True == 1, 1 == 1.0).
_REMEMBERED_INPUT_TYPES = frozenset({str, int, float, bool})


class RememberedValidation(serializers.Field):
    """Validates each distinct input value once per field instance, i.e. once per request.

    The bulk endpoint validates a hundred profiles with one serializer, and they repeat most of their
    values (language codes, levels, countries, dates): checking each again was a fifth of a request. A
    leaf field's answer depends on its input alone, unless one of its validators asks for the context
    (``requires_context``), which may change from item to item: then nothing is remembered. A refusal is
    never remembered (it is raised again, with fresh error details), and what is remembered is immutable
    (a string, a number, a date). Declared fields are copied per serializer instance (DRF deep-copies
    them from their arguments), so nothing outlives the serializer.
    """

    @cached_property
    def _remembers(self) -> bool:
        return not any(getattr(validator, "requires_context", False) for validator in self.validators)

    @cached_property
    def _validated(self) -> dict[tuple[type, Any], Any]:
        return {}

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if type(data) not in _REMEMBERED_INPUT_TYPES or not self._remembers:
            return super().run_validation(data)
        key = (type(data), data)
        try:
            return self._validated[key]
        except KeyError:
            value = self._validated[key] = super().run_validation(data)
            return value


class StrictCharField(RememberedValidation, serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(RememberedValidation, serializers.EmailField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(RememberedValidation, serializers.ChoiceField):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictBooleanField(RememberedValidation, serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(RememberedValidation, serializers.IntegerField):
    default_error_messages = {"invalid": _("A whole number is required.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -BIGINT_MAX)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return data


class StrictDecimalField(RememberedValidation, serializers.DecimalField):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDateField(RememberedValidation, serializers.DateField):
    def to_internal_value(self, value: Any) -> datetime.date:
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class StrictDateTimeField(RememberedValidation, serializers.DateTimeField):
    def to_internal_value(self, value: Any) -> datetime.datetime:
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DDThh:mm:ss[.uuuuuu]±hh:mm")
        parsed = super().to_internal_value(value)
        try:  # stored in UTC: a time near the ends of the calendar would overflow there
            parsed.astimezone(datetime.UTC)
        except OverflowError:
            self.fail("invalid", format="YYYY-MM-DDThh:mm:ss[.uuuuuu]±hh:mm")
        return parsed


class MomentField(StrictDateTimeField):
    """A moment with its offset (``2026-11-22T09:00:00Z``, ``…+01:00``), such as ``updated_since``: a
    time without one would be read in the server's time zone, which a partner abroad does not share."""

    default_error_messages = {
        "offset": _(
            "Give a date and time with a time zone, e.g. 2026-11-22T09:00:00Z or 2026-11-22T09:00:00+01:00 "
            "(in a URL, write + as %2B)."
        )
    }

    def to_internal_value(self, value: Any) -> datetime.datetime:
        # "…T09:00:00 01:00": a "+" sent unencoded in a query string arrives as a space.
        if isinstance(value, str) and "T" in value and " " in value.strip():
            self.fail("offset")
        moment = super().to_internal_value(value)
        parsed = parse_datetime(value.strip())
        if parsed is None or parsed.tzinfo is None:
            self.fail("offset")
        return moment


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, and a body that is not an object."""

    # (Not in the docstring: a serializer without its own shows this one in the OpenAPI schema.) It
    # validates as DRF's ``Serializer`` does, with what DRF works out again for every value it validates
    # worked out once per serializer: the bulk endpoint validates some 1,400 objects (candidates and their
    # nested rows) with one serializer per kind, and that per-value work was a fourth of its validation.

    @cached_property
    def _writable_fields(self) -> tuple[serializers.Field, ...]:  # type: ignore[override]
        return tuple(field for field in self.fields.values() if not field.read_only)

    @cached_property
    def _writable_names(self) -> frozenset[str]:
        return frozenset(str(field.field_name) for field in self._writable_fields)

    @cached_property
    def _steps(self) -> tuple[tuple[str, serializers.Field, Callable[[Any], Any] | None, list[str]], ...]:
        """Each writable field with its ``validate_<name>`` method (if any) and where its value goes."""
        return tuple(
            (
                str(field.field_name),
                field,
                getattr(self, f"validate_{field.field_name}", None),
                field.source_attrs,
            )
            for field in self._writable_fields
        )

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[Any]] = {}
        if isinstance(data, Mapping) and not self._writable_names.issuperset(data):
            unknown = {
                str(key): [ErrorDetail(str(_("Unknown field.")), code="unknown_field")]
                for key in sorted(set(data) - self._writable_names, key=str)
            }
        try:
            value = self._fields_validated(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def _fields_validated(self, data: Any) -> dict[str, Any]:
        """DRF's ``Serializer.to_internal_value``, line for line, over ``_steps``."""
        if not isinstance(data, Mapping):
            message = self.error_messages["invalid"].format(datatype=type(data).__name__)
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="invalid")
        validated: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for name, field, validate_method, source_attrs in self._steps:
            try:
                value = field.run_validation(field.get_value(data))
                if validate_method is not None:
                    value = validate_method(value)
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
            except DjangoValidationError as exc:
                errors[name] = get_error_detail(exc)
            except SkipField:
                pass
            else:
                self.set_value(validated, source_attrs, value)
        if errors:
            raise serializers.ValidationError(errors)
        return validated

    def run_validators(self, value: Any) -> None:
        # DRF first adds the read-only fields' defaults to the value, which only a validator reads.
        if self.validators:
            super().run_validators(value)


STRICT_FIELD_MAPPING: dict[type["models.Field[Any, Any]"], type[serializers.Field]] = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.CharField: StrictCharField,
    models.TextField: StrictCharField,
    models.SlugField: StrictCharField,
    models.EmailField: StrictEmailField,
    models.BooleanField: StrictBooleanField,
    models.IntegerField: StrictIntegerField,
    models.SmallIntegerField: StrictIntegerField,
    models.BigIntegerField: StrictIntegerField,
    models.PositiveIntegerField: StrictIntegerField,
    models.PositiveSmallIntegerField: StrictIntegerField,
    models.PositiveBigIntegerField: StrictIntegerField,
    models.DecimalField: StrictDecimalField,
    models.DateField: StrictDateField,
    models.DateTimeField: StrictDateTimeField,
}


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    """An input serializer whose fields come from a model (lengths, choices, validators) but are strict.

    It only validates: services write (``.save()`` is never called).
    """

    serializer_field_mapping = STRICT_FIELD_MAPPING
    serializer_choice_field = StrictChoiceField

    def build_standard_field(
        self, field_name: str, model_field: Any
    ) -> tuple[type[serializers.Field], dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.IntegerField):
            # The ranges of PostgreSQL's column types, whatever the database at hand (SQLite allows any
            # 64-bit value): the API contract must not depend on where it was generated.
            low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
            kwargs["min_value"], kwargs["max_value"] = low, high
        return field_class, kwargs
