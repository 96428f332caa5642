"""Search every table of the database (and the file storage, and the sessions) for a person's data.

Every model Django knows, the automatic many-to-many tables included: its text, e-mail, JSON and other
character columns for each text (case-insensitively; JSON cast to text), its date columns for the date of
birth, its date-time columns for a moment on that day.
"""

import datetime
from collections.abc import Iterable

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast


def _text_columns(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]


def rows_holding(texts: Iterable[str], day: datetime.date) -> list[str]:
    """``"app.Model#pk: column"`` for every value that holds one of ``texts`` or the day ``day``."""
    texts = [text for text in texts if text]
    found: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = _text_columns(model)
        json_columns = [c for c in columns if isinstance(c, models.JSONField)]
        rows = model._base_manager.annotate(
            **{f"text_of_{c.attname}": Cast(c.attname, TextField()) for c in json_columns}
        )
        for column in model._meta.concrete_fields:
            condition = Q()
            if column in columns:
                name = f"text_of_{column.attname}" if column in json_columns else column.attname
                for text in texts:
                    condition |= Q(**{f"{name}__icontains": text})
            elif isinstance(column, models.DateTimeField):
                condition = Q(**{f"{column.attname}__date": day})
            elif isinstance(column, models.DateField):
                condition = Q(**{column.attname: day})
            else:
                continue
            for pk in rows.filter(condition).values_list("pk", flat=True):
                found.append(f"{model._meta.label}#{pk}: {column.name}")
    return found


def sessions_holding(texts: Iterable[str]) -> list[str]:
    """Sessions whose decoded data holds one of ``texts``."""
    return [
        session.session_key
        for session in Session.objects.all()
        if any(text.lower() in str(session.get_decoded()).lower() for text in texts if text)
    ]


def files_holding(texts: Iterable[str], directory: str = "") -> list[str]:
    """Stored files whose name or content holds one of ``texts``."""
    found: list[str] = []
    directories, files = default_storage.listdir(directory)
    for sub in directories:
        found += files_holding(texts, f"{directory}{sub}/")
    for name in files:
        path = f"{directory}{name}"
        with default_storage.open(path, "rb") as stored:
            content = stored.read().decode("utf-8", errors="replace").lower() + path.lower()
        if any(text.lower() in content for text in texts if text):
            found.append(path)
    return found
