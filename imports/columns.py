"""The columns of the import files: their headers in Dutch, French and English, and how a cell becomes a
value for the services (the same ``ProfileInput`` fields and vacancy fields as the partner API).

Headers are a file format, not a sentence: they are spelled here in all three languages, so that a
Dutch template filled in by a French colleague still imports. A header is recognised in any of the
three languages or as the field name itself, whatever its case, spaces or a trailing ``*`` (which the
templates put on required columns).

Cells are read the Belgian way: dates day first (``31/12/2026``, ``31-12-2026``, ``31.12.2026``; ISO
``2026-12-31`` too), decimals with a comma (``1.234,5``) or a point (``1234.5``), yes/no in any of the
three languages. A cell error names no value (the report keeps no personal data): only what was
expected.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from core.choices import Language, Region
from imports.readers import MAX_CELL_CHARS, Cell
from vacancies.models import Vacancy

LANGUAGES = ("nl", "fr", "en")


class CellError(ValueError):
    """A cell that cannot be read; ``message`` says what was expected, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # an XLSX number typed into a text column (a phone, a postal code)
    text = str(cell).strip()
    if len(text) > MAX_CELL_CHARS:
        raise CellError(_("Too long: at most %(max)d characters.") % {"max": MAX_CELL_CHARS})
    return text


def parse_text(cell: Cell) -> str:
    return _text(cell)


def parse_upper(cell: Cell) -> str:
    return _text(cell).upper()


_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


def parse_date(cell: Cell) -> datetime.date | None:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = _text(cell)
    if not text:
        return None
    text = text.split(" ")[0]  # "31/12/2026 00:00", as some exports write a date
    for pattern in _DATE_PATTERNS:
        if match := pattern.match(text):
            try:
                return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break
    raise CellError(_("Not a date: write it as day/month/year, e.g. 31/12/2026."))


_THOUSANDS_WITH_POINTS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_decimal(cell: Cell) -> Decimal | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return Decimal(str(cell))
    text = re.sub(r"[\s\u00a0€]", "", _text(cell))
    if not text:
        return None
    if "," in text and "." in text:
        # The last of the two separates the decimals: 1.234,5 (Belgian) or 1,234.5.
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".") if text.count(",") == 1 else "x"
    elif _THOUSANDS_WITH_POINTS.match(text):
        text = text.replace(".", "")  # 42.000: Belgian thousands, not forty-two
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(_("Not a number: write it as e.g. 1234,50.")) from None
    if not value.is_finite():
        raise CellError(_("Not a number: write it as e.g. 1234,50."))
    return value


def parse_integer(cell: Cell) -> int | None:
    value = parse_decimal(cell)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(_("Not a whole number."))
    return int(value)


_YES = {"1", "yes", "y", "true", "ja", "j", "waar", "oui", "o", "vrai", "x"}
_NO = {"", "0", "no", "n", "false", "nee", "onwaar", "non", "faux"}


def parse_boolean(cell: Cell) -> bool:
    text = _text(cell).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("Write yes or no."))


def _codes(cell: Cell) -> list[str]:
    return [part.strip() for part in re.split(r"[,;|/]", _text(cell)) if part.strip()]


def parse_countries(cell: Cell) -> list[str]:
    return [code.upper() for code in _codes(cell)]


def choice_parser(choices: type[models.TextChoices]) -> Callable[[Cell], str]:
    """A choice by its code or by its label in any of the three languages."""
    lookup: dict[str, str] = {}
    for language in LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                lookup[str(label).casefold()] = str(value)
    for value in choices.values:
        lookup[str(value).casefold()] = str(value)

    def parse(cell: Cell) -> str:
        text = _text(cell)
        if not text:
            return ""
        try:
            return lookup[text.casefold()]
        except KeyError:
            raise CellError(
                _("Not one of the allowed values (%(values)s).") % {"values": ", ".join(choices.values)}
            ) from None

    return parse


def choice_list_parser(choices: type[models.TextChoices]) -> Callable[[Cell], list[str]]:
    one = choice_parser(choices)
    return lambda cell: [one(code) for code in _codes(cell)]


@dataclass(frozen=True)
class Column:
    """One column: ``key`` is the service's field name (or a reference the importer resolves, such as
    ``project``); ``labels`` its header per language."""

    key: str
    labels: dict[str, str]
    parse: Callable[[Cell], Any]
    required: bool = False

    def header(self, language: str) -> str:
        label = self.labels.get(language, self.labels["en"])
        return f"{label} *" if self.required else label


def _col(
    key: str, nl: str, fr: str, en: str, parse: Callable[[Cell], Any], *, required: bool = False
) -> Column:
    return Column(key, {"nl": nl, "fr": fr, "en": en}, parse, required)


EXTERNAL_ID = _col("external_id", "Referentie", "Référence", "Reference", parse_text, required=True)

CANDIDATE_COLUMNS = (
    EXTERNAL_ID,
    _col("given_name", "Voornaam", "Prénom", "Given name", parse_text, required=True),
    _col("family_name", "Familienaam", "Nom de famille", "Family name", parse_text, required=True),
    _col("date_of_birth", "Geboortedatum", "Date de naissance", "Date of birth", parse_date, required=True),
    _col(
        "country_of_residence",
        "Land van verblijf",
        "Pays de résidence",
        "Country of residence",
        parse_upper,
        required=True,
    ),
    _col("nationalities", "Nationaliteiten", "Nationalités", "Nationalities", parse_countries, required=True),
    _col("email", "E-mail", "E-mail", "E-mail", parse_text),
    _col("phone", "Telefoon", "Téléphone", "Phone", parse_text),
    _col(
        "preferred_language",
        "Voorkeurstaal",
        "Langue préférée",
        "Preferred language",
        choice_parser(Language),
    ),
    _col("currently_in_belgium", "Nu in België", "Actuellement en Belgique", "In Belgium now", parse_boolean),
    _col(
        "passport_valid_until",
        "Paspoort geldig tot",
        "Passeport valable jusqu'au",
        "Passport valid until",
        parse_date,
    ),
    _col("available_from", "Beschikbaar vanaf", "Disponible à partir du", "Available from", parse_date),
    _col(
        "preferred_regions",
        "Voorkeursgewesten",
        "Régions préférées",
        "Preferred regions",
        choice_list_parser(Region),
    ),
    _col(
        "relocating_with_family",
        "Verhuist met gezin",
        "Déménage avec sa famille",
        "Relocating with family",
        parse_boolean,
    ),
    _col(
        "accepts_entry_role_during_recognition",
        "Aanvaardt instapfunctie tijdens erkenning",
        "Accepte un poste d'entrée pendant la reconnaissance",
        "Accepts entry role during recognition",
        parse_boolean,
    ),
    _col("project", "Project (code)", "Projet (code)", "Project (code)", parse_text),
    _col("cohort", "Cohorte", "Cohorte", "Cohort", parse_text),
)

VACANCY_COLUMNS = (
    EXTERNAL_ID,
    _col("title", "Titel", "Titre", "Title", parse_text, required=True),
    _col(
        "occupation",
        "Beroep (ESCO-URI)",
        "Métier (URI ESCO)",
        "Occupation (ESCO URI)",
        parse_text,
        required=True,
    ),
    _col("municipality", "Gemeente", "Commune", "Municipality", parse_text, required=True),
    _col("postal_code", "Postcode", "Code postal", "Postal code", parse_text, required=True),
    _col("region", "Gewest", "Région", "Region", choice_parser(Region), required=True),
    _col(
        "gross_annual_salary_eur",
        "Bruto jaarloon (EUR)",
        "Salaire annuel brut (EUR)",
        "Gross annual salary (EUR)",
        parse_decimal,
        required=True,
    ),
    _col(
        "contract_type",
        "Contracttype",
        "Type de contrat",
        "Contract type",
        choice_parser(Vacancy.ContractType),
        required=True,
    ),
    _col("description", "Omschrijving", "Description", "Description", parse_text),
    _col("function_vks_level", "VKS-niveau", "Niveau VKS", "VKS level", parse_integer, required=True),
    _col(
        "min_isced_level",
        "Minimaal ISCED-niveau",
        "Niveau ISCED minimum",
        "Minimum ISCED level",
        parse_integer,
    ),
    _col(
        "min_experience_years",
        "Minimale ervaring (jaren)",
        "Expérience minimale (années)",
        "Minimum experience (years)",
        parse_decimal,
    ),
    _col("joint_committee", "Paritair comité", "Commission paritaire", "Joint committee", parse_text),
    _col(
        "pay_category",
        "Looncategorie",
        "Catégorie salariale",
        "Pay category",
        choice_parser(Vacancy.PayCategory),
    ),
    _col("contract_months", "Duur (maanden)", "Durée (mois)", "Duration (months)", parse_integer),
    _col("weekly_hours", "Uren per week", "Heures par semaine", "Weekly hours", parse_decimal),
    _col("positions", "Aantal plaatsen", "Nombre de postes", "Positions", parse_integer),
    _col("start_date", "Startdatum", "Date de début", "Start date", parse_date),
)

# A recruiter names the employer of each vacancy; an employer's own file does not (it is the employer).
EMPLOYER_COLUMN = _col(
    "employer",
    "Werkgever (ondernemingsnummer)",
    "Employeur (numéro d'entreprise)",
    "Employer (enterprise number)",
    parse_text,
    required=True,
)


def normalise_header(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\ufeff", "").strip().rstrip("*").strip()).casefold()


def header_lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in columns:
        lookup[column.key.casefold()] = column
        for label in column.labels.values():
            lookup[normalise_header(label)] = column
    return lookup
