"""Validators for identifiers whose format the law fixes, and for links we show to others."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ENTERPRISE_NUMBER = re.compile(r"^[01]\d{3}\.\d{3}\.\d{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def validate_enterprise_number(value: str) -> None:
    """A Belgian enterprise number (KBO/BCE): ``0123.456.789``, the last two digits a mod-97 check."""
    if not _ENTERPRISE_NUMBER.match(value):
        raise ValidationError(_("Enter an enterprise number as 0123.456.789."), code="format")
    digits = value.replace(".", "")
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValidationError(_("This enterprise number fails its check digits."), code="checksum")


def validate_country_code(value: str) -> None:
    """An ISO 3166-1 alpha-2 code in capitals, such as MA, TN, IN."""
    if not _COUNTRY.match(value):
        raise ValidationError(_("Enter a two-letter country code such as MA or TN."), code="country")


def validate_country_list(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Enter a list of two-letter country codes."), code="country_list")
    for item in value:
        validate_country_code(item)


def validate_https_url(value: str) -> None:
    """A link that is shown to others (a video CV): https only, so no page of ours links to plain http
    or to a script (``javascript:``, ``data:``)."""
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("Enter a link that starts with https://."), code="https")
