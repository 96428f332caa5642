"""Validation errors of a whole profile, keyed by path (``languages.0.reading``), raised as one."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ProfileErrors:
    def __init__(self) -> None:
        self.by_path: dict[str, list[Any]] = {}

    def add(self, path: str, message: Any) -> None:
        self.by_path.setdefault(path, []).append(message)

    def add_django(self, prefix: str, error: ValidationError) -> None:
        """A model's ``full_clean`` error under ``prefix`` (its non-field errors on the prefix itself)."""
        by_name = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
        for name, errors in by_name.items():
            path = prefix if name == NON_FIELD_ERRORS else ".".join(p for p in (prefix, name) if p)
            for item in errors:
                self.add(path, item)  # a ValidationError: keeps its code and parameters

    def raise_if_any(self) -> None:
        if self.by_path:
            raise ValidationError(self.by_path)
