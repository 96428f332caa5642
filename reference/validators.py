"""Validators for reference identifiers."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# Skills curated by Talentbrug until the official ESCO files are imported carry URNs of our own: an
# invented data.europa.eu URI would pass for an official ESCO concept, which it is not.
CURATED_URN_PREFIX = "urn:talentbrug:"

_url = URLValidator(schemes=["http", "https"])


def validate_concept_uri(value: str) -> None:
    if value.startswith(CURATED_URN_PREFIX) and len(value) > len(CURATED_URN_PREFIX):
        return
    try:
        _url(value)
    except ValidationError:
        raise ValidationError(
            _("Enter an ESCO URI (http://data.europa.eu/esco/...) or a Talentbrug URN (urn:talentbrug:...)."),
            code="uri",
        ) from None
