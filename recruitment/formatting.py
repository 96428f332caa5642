"""Values stored in reason parameters (strings in JSON), written out in the reader's language.

Shared by the match explanations (``recruitment.explanations``) and the vacancy checker's sentences
(``recruitment.vacancy_findings``). A value that does not parse is shown as stored, never dropped.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, translation


def money(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    figures = formats.number_format(amount, 2, use_l10n=True, force_grouping=True)
    # French writes the symbol after the amount, held to it by a no-break space ("42 000,00 €"); Dutch
    # and English before it ("€ 42.000,00", "€ 42,000.00").
    if (translation.get_language() or "").startswith("fr"):
        return f"{figures}\u00a0€"
    return f"€ {figures}"


def number(value: Any, decimals: int = 1) -> str:
    try:
        return formats.number_format(Decimal(str(value)), decimals, use_l10n=True)
    except (InvalidOperation, ValueError):
        return str(value)


def day(value: Any) -> str:
    if not value:
        return ""
    try:
        parsed = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formats.date_format(parsed, "DATE_FORMAT")
