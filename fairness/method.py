"""The fairness method of docs/fairness.md, in plain Python: no Django, no database, no clock.

The database gives counts per combination of nationality, sex and age band (``Cell``: a few dozen rows
whatever the number of candidates). This module adds them up per dimension, suppresses small groups and
applies the four-fifths rule. Rates are exact fractions, so a rate exactly at four fifths of the highest
is never flagged by a rounding error.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Stage = Literal["shortlisted", "proposed", "hired"]
STAGES: tuple[Stage, ...] = ("shortlisted", "proposed", "hired")

Dimension = Literal["nationality", "sex", "age_band"]
DIMENSIONS: tuple[Dimension, ...] = ("nationality", "sex", "age_band")

MIN_GROUP = 5
"""A group with fewer candidates in the pool is hidden and left out of the comparison: a rate over one to
four people says nothing about a group, and a count that small can single a person out. So is the next
smallest group where needed, so that a hidden group's figures cannot be worked out by subtracting the
shown groups from the totals (``hidden_groups``)."""

FOUR_FIFTHS = Fraction(4, 5)
"""A group whose selection rate is below four fifths of the highest group's rate is flagged (the
"four-fifths rule" of the US Uniform Guidelines on Employee Selection Procedures, 29 CFR 1607.4 D)."""

UNKNOWN = ""
"""Sex not declared, or no nationality recorded: shown, but never compared (it is not a group of people
who share a trait, only people about whom we do not know it)."""

# The age bands: (code, the lowest age in the band). Each band runs to the next one's lowest age.
AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("under_25", 0),
    ("25_34", 25),
    ("35_44", 35),
    ("45_54", 45),
    ("55_plus", 55),
)
SEX_ORDER = ("female", "male", "x", UNKNOWN)


def born_by(on: datetime.date, years: int) -> datetime.date:
    """The latest date of birth of someone at least ``years`` old on ``on``: what the database compares
    dates of birth with (``fairness.selectors``), so that the age is computed on the day the page is read.

    Counted as ``recruitment.matching.derived.age_on`` counts it (someone born on 29 February turns a year
    older on 1 March): on 29 February of a leap year, ``years`` back may have no 29 February, and
    whoever was born on the 28th is then already a year older.
    """
    year = on.year - years
    try:
        return on.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return datetime.date(year, 2, 28)


def age_band(date_of_birth: datetime.date, on: datetime.date) -> str:
    """The band of someone born on ``date_of_birth``, on the day ``on``."""
    band = AGE_BANDS[0][0]
    for code, lowest in AGE_BANDS[1:]:
        if date_of_birth <= born_by(on, lowest):
            band = code
    return band


@dataclass(frozen=True)
class Cell:
    """Candidates of the pool sharing a nationality, a sex and an age band, and how many of them were
    selected at each stage."""

    nationality: str
    sex: str
    age_band: str
    pool: int
    shortlisted: int = 0
    proposed: int = 0
    hired: int = 0


@dataclass(frozen=True)
class StageFigure:
    count: int
    rate: Fraction  # count / the group's pool
    # rate / the highest rate of the compared groups; None when the group is not compared or nobody
    # was selected at this stage
    impact_ratio: Fraction | None
    flagged: bool  # impact ratio below four fifths


@dataclass(frozen=True)
class GroupRow:
    group: str  # a country code, a sex, an age band code, or UNKNOWN
    # no figure is shown: fewer than MIN_GROUP in the pool, or hidden with it (``hidden_groups``)
    suppressed: bool
    compared: bool  # counted in the four-fifths comparison
    pool: int | None  # None when suppressed
    stages: dict[str, StageFigure]  # empty when suppressed

    @property
    def flagged(self) -> bool:
        return any(figure.flagged for figure in self.stages.values())


@dataclass(frozen=True)
class Breakdown:
    dimension: Dimension
    rows: list[GroupRow]
    highest: dict[str, Fraction | None]  # per stage: the highest rate of the compared groups
    compared_groups: int  # fewer than two: nothing to compare, no flag

    @property
    def flagged(self) -> bool:
        return any(row.flagged for row in self.rows)

    @property
    def all_hidden(self) -> bool:
        return bool(self.rows) and all(row.suppressed for row in self.rows)


@dataclass(frozen=True)
class Totals:
    pool: int
    stages: dict[str, int]


@dataclass(frozen=True)
class FairnessReport:
    totals: Totals
    breakdowns: list[Breakdown]

    @property
    def flagged(self) -> bool:
        return any(breakdown.flagged for breakdown in self.breakdowns)


def _order(dimension: Dimension, totals: dict[str, dict[str, int]]) -> list[str]:
    if dimension == "sex":
        return [sex for sex in SEX_ORDER if sex in totals] + sorted(set(totals) - set(SEX_ORDER))
    if dimension == "age_band":
        return [code for code, _lowest in AGE_BANDS if code in totals]
    # Nationalities: the largest groups first, the unknown last.
    return sorted(totals, key=lambda group: (group == UNKNOWN, -totals[group]["pool"], group))


def hidden_groups(pools: dict[str, int]) -> set[str]:
    """The groups of one dimension whose figures are not shown, given each group's pool.

    The page prints the pool's totals, so the hidden groups' figures taken together are the totals minus
    the shown groups': for the pool and for each stage. Hiding the groups under ``MIN_GROUP`` is then not
    enough when only one group is hidden (its figures are that difference) or when the hidden groups
    together are under ``MIN_GROUP`` (their sum is a small count). The next smallest groups are hidden as
    well until at least two groups, of at least ``MIN_GROUP`` candidates together, are hidden; if that
    leaves fewer than two groups shown, the whole dimension is hidden (nothing would be compared anyway).
    """
    hidden = {group for group, pool in pools.items() if pool < MIN_GROUP}
    if not hidden:
        return hidden
    shown = sorted((group for group in pools if group not in hidden), key=lambda group: (pools[group], group))
    secondary = False
    while shown and (len(hidden) < 2 or sum(pools[group] for group in hidden) < MIN_GROUP):
        hidden.add(shown.pop(0))
        secondary = True
    if secondary and len(shown) < 2:
        return set(pools)
    return hidden


def breakdown(cells: Iterable[Cell], dimension: Dimension) -> Breakdown:
    """The groups of one dimension, suppressed and compared as docs/fairness.md says."""
    totals: dict[str, dict[str, int]] = {}
    for cell in cells:
        sums = totals.setdefault(getattr(cell, dimension), dict.fromkeys(("pool", *STAGES), 0))
        sums["pool"] += cell.pool
        for stage in STAGES:
            sums[stage] += getattr(cell, stage)
    groups = _order(dimension, totals)
    hidden = hidden_groups({group: sums["pool"] for group, sums in totals.items()})
    compared = [g for g in groups if g != UNKNOWN and g not in hidden]
    highest: dict[str, Fraction | None] = {}
    for stage in STAGES:
        rates = [Fraction(totals[g][stage], totals[g]["pool"]) for g in compared]
        highest[stage] = max(rates) if len(compared) >= 2 else None
    rows = []
    for group in groups:
        sums = totals[group]
        if group in hidden:
            rows.append(GroupRow(group=group, suppressed=True, compared=False, pool=None, stages={}))
            continue
        is_compared = group in compared
        figures: dict[str, StageFigure] = {}
        for stage in STAGES:
            rate = Fraction(sums[stage], sums["pool"])
            top = highest[stage]
            ratio = rate / top if is_compared and top else None
            figures[stage] = StageFigure(
                count=sums[stage],
                rate=rate,
                impact_ratio=ratio,
                flagged=ratio is not None and ratio < FOUR_FIFTHS,
            )
        rows.append(
            GroupRow(group=group, suppressed=False, compared=is_compared, pool=sums["pool"], stages=figures)
        )
    return Breakdown(dimension=dimension, rows=rows, highest=highest, compared_groups=len(compared))


def fairness_report(cells: Iterable[Cell]) -> FairnessReport:
    """The whole pool's totals, and one breakdown per dimension."""
    cells = list(cells)
    totals = Totals(
        pool=sum(cell.pool for cell in cells),
        stages={stage: sum(getattr(cell, stage) for cell in cells) for stage in STAGES},
    )
    return FairnessReport(totals=totals, breakdowns=[breakdown(cells, d) for d in DIMENSIONS])
