"""Strict readers for settings that come from the environment.

A typo in a production variable must stop the process at start-up, not silently fall back to a
default: a boolean is exactly ``true`` or ``false``, an integer must parse, a list is comma-separated.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_UNSET = object()


def env_str(name: str, default: object = _UNSET) -> str:
    value = os.environ.get(name)
    if value is not None and value != "":
        return value
    if default is _UNSET:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return default  # type: ignore[return-value]


def env_optional(name: str) -> str | None:
    value = os.environ.get(name, "")
    return value or None


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value == "true":
        return True
    if value == "false":
        return False
    raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name, "")
    if value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
