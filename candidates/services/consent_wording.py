"""Publish the wording of a consent: a new version of the text for one purpose, in one or more languages.

A published wording is immutable. A consent names the version it was given under, and the candidate
must be able to read again exactly what they agreed to (GDPR art. 7(1)), so this module only ever creates
rows: there is no update or delete path, here or in the admin (read-only). A new text is a new version,
published with all its languages at once; a version already published for a purpose is refused whole,
even for a language it lacks, because the version that is current for a purpose is the one published last
(``candidates.selectors.consent_wording_current``) and a late addition would make an old version current
again.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import ConsentWording
from candidates.models.compliance import ConsentPurpose

__all__ = ["WordingText", "consent_wording_publish"]


@dataclass(frozen=True)
class WordingText:
    """The title and text of a wording in one language."""

    title: str
    text: str


def _refuse_published(text_version: str) -> ValidationError:
    return ValidationError(
        _(
            "Version %(version)s of this consent's text is already published: publish the new text as a "
            "new version."
        ),
        code="published",
        params={"version": text_version},
    )


def consent_wording_publish(
    *,
    purpose: str,
    text_version: str,
    texts: Mapping[str, WordingText],
    is_example: bool = False,
    at: datetime.datetime | None = None,
) -> list[ConsentWording]:
    """Publish version ``text_version`` of the text of consents for ``purpose``, in each language of
    ``texts`` (language code -> title and text), from now (or ``at``). Returns the rows, in the order of
    ``texts``; from then on it is the current version for the purpose.

    Raises ``ValidationError`` (nothing written) for an unknown purpose or language, an empty or too long
    field, no language at all, or a version of this purpose already published.
    """
    text_version = text_version.strip()
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Unknown consent purpose."), code="purpose_invalid")
    if not texts:
        raise ValidationError(_("Give the text in at least one language."), code="no_language")
    published_at = at or timezone.now()
    rows = [
        ConsentWording(
            purpose=purpose,
            text_version=text_version,
            language=language,
            title=wording.title.strip(),
            text=wording.text.strip(),
            published_at=published_at,
            is_example=is_example,
        )
        for language, wording in texts.items()
    ]
    for row in rows:
        # Field checks only: the uniqueness is the version check below (and the database's).
        row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            if ConsentWording.objects.filter(purpose=purpose, text_version=text_version).exists():
                raise _refuse_published(text_version)
            ConsentWording.objects.bulk_create(rows)
    except IntegrityError as exc:
        # Two publications of the same version at once: the database's unique constraint keeps one.
        raise _refuse_published(text_version) from exc
    return rows
