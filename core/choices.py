"""Choices shared by several apps (regions, CEFR levels, languages), so apps need not import each other."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """Belgian regions: each one decides on the authorisation to work (domain.md 1.1)."""

    FLANDERS = "VLG", _("Flemish Region")
    BRUSSELS = "BRU", _("Brussels-Capital Region")
    WALLONIA = "WAL", _("Walloon Region")
    GERMAN_SPEAKING = "DG", _("German-speaking Community")


class CEFRLevel(models.TextChoices):
    """CEFR levels. The codes sort lexicographically in level order (A1 < A2 < B1 < ... < C2)."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


CEFR_CODES = [level.value for level in CEFRLevel]


class Language(models.TextChoices):
    """Languages that vacancies ask for and candidates declare (ISO 639-1)."""

    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    ARABIC = "ar", _("Arabic")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    HINDI = "hi", _("Hindi")
    MALAYALAM = "ml", _("Malayalam")
    WOLOF = "wo", _("Wolof")
    OTHER = "xx", _("Other language")


# Member states of the EU plus the EEA and Switzerland: their citizens need no single permit.
EU_EEA_CH_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
        "CH",
    ]
)


def region_for_postal_code(postal_code: str) -> str | None:
    """The Belgian region of a postal code, or None when it is not a Belgian postal code.

    Brussels is 1000–1299; Walloon Brabant 1300–1499; Flemish Brabant 1500–3999 (with Limburg and
    Antwerp); Wallonia 4000–7999 (the German-speaking municipalities, 47xx, belong to the Walloon
    Region for work permits); West and East Flanders 8000–9999.
    """
    if len(postal_code) != 4 or not postal_code.isdigit():
        return None
    code = int(postal_code)
    if code < 1000:
        return None
    if code < 1300:
        return Region.BRUSSELS
    if code < 1500 or 4000 <= code < 8000:
        return Region.WALLONIA
    return Region.FLANDERS
