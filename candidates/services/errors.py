"""Validation errors of a whole profile, keyed by path (``languages.0.reading``), raised as one."""

import functools
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from candidates.services.field_memo import FieldMemo


@functools.cache
def _references(model: type[models.Model]) -> tuple[models.ForeignKey[Any, Any], ...]:
    """The model's foreign keys without ``limit_choices_to`` (Django's query checks that restriction)."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and not field.remote_field.limit_choices_to
    )


def loaded_references(instance: models.Model) -> list[str]:
    """The foreign keys of ``instance`` set to a row read from the database (a reference the caller
    resolved, such as the partner API's scoped fields). ``full_clean`` would query each one again to
    prove it exists: one query per reference and row, the bulk of a bulk request's queries. The
    database's own foreign key still refuses a row deleted meanwhile (reported as a conflict)."""
    names = []
    for field in _references(type(instance)):
        if field.is_cached(instance):
            related = field.get_cached_value(instance)
            if related is not None and not related._state.adding:
                names.append(field.name)
    return names


class ProfileErrors:
    """One profile's errors. ``memo``: what the profiles of one write share of their field checks and
    comparisons (``candidates.services.field_memo``)."""

    def __init__(self, memo: FieldMemo | None = None) -> None:
        self.by_path: dict[str, list[Any]] = {}
        self.memo = memo or FieldMemo()

    def add(self, path: str, message: Any) -> None:
        self.by_path.setdefault(path, []).append(message)

    def add_django(self, prefix: str, error: ValidationError) -> None:
        """A model's ``full_clean`` error under ``prefix`` (its non-field errors on the prefix itself)."""
        by_name = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
        for name, errors in by_name.items():
            path = prefix if name == NON_FIELD_ERRORS else ".".join(p for p in (prefix, name) if p)
            for item in errors:
                self.add(path, item)  # a ValidationError: keeps its code and parameters

    def full_clean(self, prefix: str, instance: models.Model, exclude: Sequence[str] = ()) -> None:
        """``instance.full_clean`` without uniqueness and constraints (the database checks those when
        the profile is written), its errors under ``prefix``; references already read are not read again
        (``loaded_references``)."""
        try:
            self.memo.full_clean(instance, [*exclude, *loaded_references(instance)])
        except ValidationError as exc:
            self.add_django(prefix, exc)

    def raise_if_any(self) -> None:
        if self.by_path:
            raise ValidationError(self.by_path)
