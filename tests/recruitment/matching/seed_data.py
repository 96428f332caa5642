"""The shipped reference data, read for the matching tests (no database): ``reference/data/``.

Occupations and their list status codes (``shortage_occupations.csv``, domain.md 8.4), the curated skills
and their essential/optional links, the Flemish salary thresholds (domain.md 1.5) and the ISCED -> VKS
crosswalk (domain.md 4.3). Occupation and skill ids are row numbers in those files.
"""

import csv
import dataclasses
import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from recruitment.matching.facts import ThresholdCategory

DATA = Path(__file__).resolve().parents[3] / "reference" / "data"
MIGRATION_LIST_2023_FROM = datetime.date(2023, 9, 1)
MIGRATION_LIST_2026_FROM = datetime.date(2026, 1, 1)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


@dataclasses.dataclass(frozen=True)
class Occupation:
    id: int
    isco: str
    label: str
    status: str  # the list status codes of domain.md 8.4, e.g. "V (top 10); M23 ✓; M26-"

    def status_codes(self) -> list[str]:
        return [token.strip() for token in self.status.split(";")]


@cache
def occupations() -> dict[str, Occupation]:
    """The 32 seed occupations by English label; id = row number in shortage_occupations.csv."""
    rows = _rows("shortage_occupations.csv")
    return {
        r["label_en"]: Occupation(i, r["isco08"], r["label_en"], r["list_status"])
        for i, r in enumerate(rows, 1)
    }


def occupation(label: str) -> Occupation:
    return occupations()[label]


@cache
def skill_ids() -> dict[str, int]:
    """Curated skill label -> id (row number in curated_skills.csv)."""
    return {r["label_en"]: i for i, r in enumerate(_rows("curated_skills.csv"), 1)}


def skill(label: str) -> int:
    return skill_ids()[label]


@cache
def occupation_skills(label: str, relation: str) -> frozenset[int]:
    """The curated essential or optional skills of an occupation (curated_skill_relations.csv)."""
    ids = skill_ids()
    return frozenset(
        ids[r["skillLabel"]]
        for r in _rows("curated_skill_relations.csv")
        if r["occupationLabel"] == label and r["relationType"] == relation
    )


def migration_list(on: datetime.date) -> frozenset[int]:
    """The ministerial migration list in force (domain.md 2.2), as the reference loader builds it: from
    1 Sep 2023 every M23 occupation; from 1 Jan 2026 the M23 ones not removed (M26-) plus the M26+ ones."""
    if on < MIGRATION_LIST_2023_FROM:
        raise ValueError("the seed data holds the 2023 and 2026 migration lists only")
    ids = set()
    for occ in occupations().values():
        codes = occ.status_codes()
        on_2023 = any(code.startswith("M23") for code in codes)
        if on < MIGRATION_LIST_2026_FROM:
            keep = on_2023
        else:
            keep = (on_2023 and not any(code.startswith("M26-") for code in codes)) or "M26+" in codes
        if keep:
            ids.add(occ.id)
    return frozenset(ids)


def vdab_list() -> frozenset[int]:
    """Occupations marked V (on the VDAB knelpuntberoepenlijst in a recent year, domain.md 2.1)."""
    return frozenset(o.id for o in occupations().values() if any(c.startswith("V") for c in o.status_codes()))


def thresholds_on(on: datetime.date) -> tuple[tuple[ThresholdCategory, Decimal], ...]:
    """The Flemish thresholds valid on a date (salary_thresholds_flanders.csv, domain.md 1.5)."""
    columns = {
        ThresholdCategory.HIGHLY_SKILLED: "highly_skilled_eur",
        ThresholdCategory.HIGHLY_SKILLED_REDUCED: "highly_skilled_reduced_eur",
        ThresholdCategory.MANAGER: "manager_eur",
        ThresholdCategory.EU_BLUE_CARD: "eu_blue_card_eur",
    }
    for row in _rows("salary_thresholds_flanders.csv"):
        if (
            datetime.date.fromisoformat(row["valid_from"])
            <= on
            <= datetime.date.fromisoformat(row["valid_to"])
        ):
            return tuple(
                (category, Decimal(row[column])) for category, column in columns.items() if row[column]
            )
    return ()


@cache
def isced_to_vks() -> tuple[tuple[int, int, int], ...]:
    rows = _rows("qualification_equivalences.csv")
    return tuple((int(r["isced_level"]), int(r["vks_min"]), int(r["vks_max"])) for r in rows)
