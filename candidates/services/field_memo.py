"""What a profile write works out per field value, each distinct value once per write.

Checking the rows of a bulk request field by field (``Field.clean``: conversion, choices, validators) and
putting them in their stored form to compare them with what is stored were most of planning it, and a
hundred profiles repeat most of their values: language codes, CEFR levels, countries, dates, the same
diploma; their stored rows repeat them too. Apart from a relation (whose check reads the database),
both depend on the field and the value alone, so ``FieldMemo`` remembers them for one write (a failed
check is not remembered: it is raised again, as Django raises it).

Only values of a few exact types are remembered: immutable ones, equal only when they are the same
value. Not ``Decimal`` (1.0 == 1.00, but only one of them fits one decimal place), not ``datetime``
(equal instants in two zones). A choices enum member (a default left out) is remembered apart from the
plain string it equals: the value's type is part of the key.
"""

import datetime
import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone

# Immutable values equal only when they are the same value (with their type: True == 1).
PLAIN_TYPES = frozenset({str, int, bool, datetime.date, type(None)})

Key = tuple[int, type, Any]  # the field's id, the value's type (True == 1), the value


def _remembered(value: Any) -> bool:
    return type(value) in PLAIN_TYPES or isinstance(value, enum.Enum)


@dataclass(frozen=True)
class Invalid:
    """The stored form of a value that cannot be stored."""

    text: str


def stored_form(field: "models.Field[Any, Any]", value: Any) -> Any:
    """``value`` as the database gives it back, so that the same data sent again compares equal.

    A row built from input holds what it was given: a default left out is a choices enum member (read
    back, a plain string), a decimal 1 is stored as 1.00, a date may be text, a datetime may be in
    another zone. Compared raw, an identical resend would count as a change, bump the profile version and
    queue a recompute.
    """
    try:
        value = field.to_python(value)
        if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    except (ValidationError, InvalidOperation):
        # Not a valid value: full_clean reports it and nothing is written. Unlike any stored value, and
        # hashable whatever it was (rows are compared as multisets).
        return Invalid(repr(value))
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = value.astimezone(datetime.UTC)
    if isinstance(field, models.JSONField):
        value = json.dumps(value, sort_keys=True)  # jsonb keeps no key order
    return value


class FieldMemo:
    """Field checks and stored forms for the rows of one write (see the module's docstring)."""

    def __init__(self) -> None:
        self._cleaned: dict[Key, Any] = {}
        self._stored: dict[Key, Any] = {}

    def _clean(self, field: "models.Field[Any, Any]", value: Any, instance: models.Model) -> Any:
        if field.is_relation or not _remembered(value):
            return field.clean(value, instance)
        key = (id(field), type(value), value)
        try:
            return self._cleaned[key]
        except KeyError:
            cleaned = self._cleaned[key] = field.clean(value, instance)
            return cleaned

    def clean_fields(self, instance: models.Model, exclude: set[str]) -> None:
        """``Model.clean_fields``, line for line, with the remembered checks."""
        errors = {}
        for field in instance._meta.fields:
            if field.name in exclude or field.generated:
                continue
            raw_value = getattr(instance, field.attname)
            if field.blank and raw_value in field.empty_values:
                continue
            if isinstance(raw_value, DatabaseDefault):
                continue
            try:
                setattr(instance, field.attname, self._clean(field, raw_value, instance))
            except ValidationError as exc:
                errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)

    def full_clean(self, instance: models.Model, exclude: Sequence[str]) -> None:
        """``instance.full_clean(exclude, validate_unique=False, validate_constraints=False)``."""
        errors: dict[str, Any] = {}
        try:
            self.clean_fields(instance, set(exclude))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            instance.clean()  # run even when a field failed, as Django does
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def stored_form(self, field: "models.Field[Any, Any]", value: Any) -> Any:
        """``stored_form(field, value)``, remembered."""
        if not _remembered(value):
            return stored_form(field, value)
        key = (id(field), type(value), value)
        try:
            return self._stored[key]
        except KeyError:
            form = self._stored[key] = stored_form(field, value)
            return form
