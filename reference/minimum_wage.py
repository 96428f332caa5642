"""The Belgian guaranteed average minimum monthly income (GMMI; gewaarborgd gemiddeld minimum
maandinkomen, GGMMI; revenu minimum mensuel moyen garanti, RMMMG), by date.

The national wage floor for every worker of 18 or more in the private sector, set by the National Labour
Council's collective agreement no. 43 and indexed like social benefits; sectoral minimums are often
higher. The amounts are for full time (38 hours a week); part time is owed the same pro rata.

Neither the shared data nor domain.md holds it, so the figures live in
``reference/data/minimum_wage_belgium.csv``, each row dated and with its source: dated data, never a
constant in code. The minimum only rises (indexations and agreed steps), so after the last recorded date
the last amount is a floor that may be too low, never too high: a check against it can miss an underpaid
vacancy but never refuses a lawful one. An operator adds a row when a new amount is published.
"""

import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "minimum_wage_belgium.csv"


@dataclass(frozen=True)
class MinimumWage:
    valid_from: datetime.date
    monthly_gross_eur: Decimal
    source: str


@cache
def _amounts() -> tuple[MinimumWage, ...]:
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        rows = [
            MinimumWage(
                valid_from=datetime.date.fromisoformat(row["valid_from"]),
                monthly_gross_eur=Decimal(row["monthly_gross_eur"]),
                source=row["source"],
            )
            for row in csv.DictReader(data)
        ]
    return tuple(sorted(rows, key=lambda amount: amount.valid_from))


def minimum_wage_on(day: datetime.date) -> MinimumWage | None:
    """The minimum valid on ``day`` (the last one recorded for a later day); None before the first."""
    valid = [amount for amount in _amounts() if amount.valid_from <= day]
    return valid[-1] if valid else None
