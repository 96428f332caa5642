"""Country names in the user's language, for pages and e-mails that store ISO 3166-1 alpha-2 codes.

The codes stay what the database and the partner API hold (a contract); only what a person reads is a
name. The names and their Dutch and French translations come from django-countries (the
``django_countries`` app loads its catalogues), read in the active language when called.
"""

from collections.abc import Iterable

from django_countries import countries


def country_name(code: str | None) -> str:
    """The name of ``code`` in the active language; the code itself when unknown (never a blank)."""
    if not code:
        return ""
    return str(countries.name(code.upper())) or code


def country_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Form choices (code, name) for ``codes``, sorted by name in the active language."""
    return sorted(((code, country_name(code)) for code in codes if code), key=lambda choice: choice[1])


def country_names(codes: Iterable[str] | None) -> str:
    """Names of a list of codes, comma-separated, in the given order."""
    return ", ".join(country_name(code) for code in codes or () if code)
