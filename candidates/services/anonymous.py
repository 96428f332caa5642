"""What an anonymised candidate's row keeps, and what every other field becomes: one rule for an erasure
(privacy) and for the record a merge took away (duplicates). The row stays, so that ids others hold
(cases' history, a partner's reference, the funders' retained counts) still resolve; nothing on it names
or describes the person any more.
"""

import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from candidates.models import Candidate

# A date of birth cannot be empty; this one is no one's (and is far from any real candidate's).
ANONYMISED_DATE_OF_BIRTH = datetime.date(1900, 1, 1)

# Candidate fields that stay on the anonymised row (every other concrete field is reset).
KEPT_CANDIDATE_FIELDS = frozenset(
    {
        "id",
        "public_id",
        "registered_by",
        "external_id",
        "project",
        "cohort",
        "country_of_residence",
        "status",
        "created_at",
        "updated_at",
        "profile_version",
        "matched_version",
    }
)


def _anonymous_value(candidate_field: "models.Field[Any, Any]") -> object:
    if candidate_field.name == "date_of_birth":
        return ANONYMISED_DATE_OF_BIRTH
    if candidate_field.null:
        return None
    if candidate_field.has_default():
        return candidate_field.get_default()
    if isinstance(candidate_field, models.CharField | models.TextField):
        return ""
    raise ImproperlyConfigured(f"no anonymous value for Candidate.{candidate_field.name}")


def candidate_fields_anonymise(candidate: Candidate) -> list[str]:
    """Reset every field of ``candidate`` but the kept ones and mark it anonymised, unsaved; the names of
    the fields to save."""
    changed = []
    for candidate_field in Candidate._meta.concrete_fields:
        if candidate_field.name not in KEPT_CANDIDATE_FIELDS:
            setattr(candidate, candidate_field.attname, _anonymous_value(candidate_field))
            changed.append(candidate_field.name)
    candidate.status = Candidate.Status.ANONYMISED
    return [*changed, "status", "updated_at"]
