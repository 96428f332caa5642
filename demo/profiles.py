"""Occupation families: what a plausible vacancy and candidate look like for each kind of job.

The families are derived from the ISCO-08 code of the ESCO occupation, so the generator needs no list
of occupations of its own: whatever ``load_reference_data`` loads is classified here. Values are
plausible orders of magnitude for Flanders (salary as a share of the highly skilled threshold, VKS
function level, Dutch requirements per skill as domain.md 4.1 and 8.3 describe), not statistics.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyProfile:
    """How vacancies and candidates of one occupation family are drawn."""

    code: str
    sector: str  # employer sector that posts these vacancies (names.EMPLOYER_NAME_PARTS)
    vks_levels: tuple[int, ...]  # function level of the vacancy (VKS), drawn uniformly
    # Gross annual salary as a multiple of the highly skilled threshold (VKS 5+) or of a trade wage.
    salary_low: float
    salary_high: float
    # Dutch minimum per skill (listening, reading, spoken interaction, spoken production, writing).
    dutch: tuple[str, str, str, str, str]
    dutch_mandatory_share: float
    english_share: float  # share of vacancies that also ask for English
    diploma_field: str  # ISCED-F 2013 field of education
    pay_category: str


# A Flemish trade wage (joint committee, "geschoold"), roughly €2,500–3,100 gross a month in 2026.
TRADE_ANNUAL_EUR = 36_000.0

FAMILIES: dict[str, FamilyProfile] = {
    "nurse": FamilyProfile(
        "nurse",
        "care",
        (5, 6),
        0.80,
        1.05,
        ("B1", "A2", "B1", "B1", "A2"),
        1.0,
        0.1,
        "0913",
        "highly_skilled",
    ),
    "care": FamilyProfile(
        "care", "care", (3, 4), 0.85, 1.00, ("B1", "A2", "B1", "B1", "A1"), 1.0, 0.0, "0913", "skilled"
    ),
    "ict": FamilyProfile(
        "ict", "ict", (5, 6), 0.88, 1.40, ("A2", "A2", "A2", "A1", "A1"), 0.15, 0.9, "0613", "highly_skilled"
    ),
    "construction": FamilyProfile(
        "construction",
        "construction",
        (3, 4),
        0.92,
        1.15,
        ("A2", "A2", "A2", "A1", ""),
        0.6,
        0.05,
        "0732",
        "skilled",
    ),
    "technical": FamilyProfile(
        "technical",
        "technical",
        (3, 4),
        0.95,
        1.25,
        ("A2", "B1", "A2", "A2", "A1"),
        0.6,
        0.15,
        "0713",
        "skilled",
    ),
    "transport": FamilyProfile(
        "transport", "transport", (3,), 0.92, 1.10, ("A2", "A2", "A2", "A2", ""), 0.7, 0.2, "1041", "skilled"
    ),
    "food": FamilyProfile(
        "food", "food", (3, 4), 0.85, 1.05, ("A2", "A1", "A2", "A1", ""), 0.5, 0.0, "0721", "skilled"
    ),
    "chemical": FamilyProfile(
        "chemical",
        "chemical",
        (4, 5),
        1.05,
        1.40,
        ("B1", "B1", "B1", "A2", "A2"),
        0.8,
        0.3,
        "0711",
        "skilled",
    ),
    "diamond": FamilyProfile(
        "diamond", "diamond", (3, 4), 0.90, 1.20, ("A1", "A1", "A1", "A1", ""), 0.0, 0.6, "0214", "skilled"
    ),
}


# Occupations on the lists that the demo leaves out: accountants and domestic cleaners fit none of
# the reference projects, and cleaners (VKS 2) no longer qualify for a permit from 2026.
OTHER = "other"


def family_of(isco_code: str) -> str:
    """The family of an ISCO-08 unit group: nurses, care, ICT, the trades and so on."""
    if isco_code.startswith(("24", "91")):
        return OTHER
    if isco_code == "2221":
        return "nurse"
    if isco_code.startswith("53"):
        return "care"
    if isco_code.startswith(("25", "35")):
        return "ict"
    if isco_code == "3133" or isco_code.startswith("81"):
        return "chemical"
    if isco_code.startswith("833"):
        return "transport"
    if isco_code.startswith(("71", "834", "2149", "7214")):
        return "construction"
    if isco_code.startswith(("751", "512")):
        return "food"
    if isco_code.startswith("731"):
        return "diamond"
    return "technical"


def function_levels(isco_code: str, profile: FamilyProfile) -> tuple[int, ...]:
    """VKS levels a vacancy in this occupation asks for: professionals (ISCO 2) at bachelor level,
    technicians (ISCO 3) at graduate level, other groups as their family says."""
    if isco_code.startswith("2") and profile.code != "nurse":
        return (6,)
    if isco_code.startswith("3") and profile.code != "chemical":
        return (5,)
    return profile.vks_levels
