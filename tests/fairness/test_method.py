"""The fairness method without a database: suppression of small groups, the four-fifths rule at its
boundary, groups that are never compared, and age bands on birthdays (docs/fairness.md)."""

import datetime
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from fairness.method import (
    AGE_BANDS,
    MIN_GROUP,
    UNKNOWN,
    Cell,
    Dimension,
    GroupRow,
    age_band,
    born_by,
    breakdown,
    fairness_report,
)
from recruitment.matching.derived import age_on


def _sex_cells(groups: dict[str, tuple[int, int]]) -> list[Cell]:
    """One cell per sex: (pool, shortlisted); every candidate Moroccan and 25 to 34."""
    return [
        Cell(nationality="MA", sex=sex, age_band="25_34", pool=pool, shortlisted=selected)
        for sex, (pool, selected) in groups.items()
    ]


def _row(cells: list[Cell], group: str, dimension: Dimension = "sex") -> GroupRow:
    found = breakdown(cells, dimension)
    return next(row for row in found.rows if row.group == group)


def test_a_group_under_five_is_suppressed_and_left_out_of_the_comparison() -> None:
    # Four men, none shortlisted: a rate of 0 that would be flagged if compared.
    cells = _sex_cells({"female": (10, 5), "male": (MIN_GROUP - 1, 0), "x": (5, 3)})
    men = _row(cells, "male")
    assert men.suppressed and not men.compared
    assert men.pool is None and men.stages == {}  # no figure at all, not even the count selected
    found = breakdown(cells, "sex")
    assert found.compared_groups == 2
    assert not found.flagged  # women 50 %, X 60 %: 0.5 / 0.6 = 0.83, above four fifths


def test_a_group_of_exactly_five_is_shown_and_compared() -> None:
    cells = _sex_cells({"female": (10, 5), "male": (MIN_GROUP, 0)})
    men = _row(cells, "male")
    assert not men.suppressed and men.compared and men.pool == MIN_GROUP
    assert men.stages["shortlisted"].flagged


def test_four_fifths_of_the_highest_rate_is_not_flagged_and_just_below_is() -> None:
    # Women 10 of 20 (50 %); men 8 of 20 (40 %): exactly four fifths, not below.
    at = _row(_sex_cells({"female": (20, 10), "male": (20, 8)}), "male").stages["shortlisted"]
    assert at.impact_ratio == Fraction(4, 5) and not at.flagged
    # Men 79 of 200 (39.5 %): 0.79 of the highest, flagged.
    below = _row(_sex_cells({"female": (20, 10), "male": (200, 79)}), "male").stages["shortlisted"]
    assert below.impact_ratio == Fraction(79, 100) and below.flagged
    # The highest group is never flagged.
    assert not _row(_sex_cells({"female": (20, 10), "male": (200, 79)}), "female").flagged


def test_each_stage_is_compared_on_its_own() -> None:
    cells = [
        Cell("MA", "female", "25_34", pool=10, shortlisted=6, proposed=2, hired=1),
        Cell("MA", "male", "25_34", pool=10, shortlisted=6, proposed=5, hired=1),
    ]
    women = _row(cells, "female")
    assert [women.stages[s].flagged for s in ("shortlisted", "proposed", "hired")] == [False, True, False]


def test_nobody_selected_flags_nobody() -> None:
    women = _row(_sex_cells({"female": (10, 0), "male": (10, 0)}), "female")
    assert women.stages["shortlisted"].impact_ratio is None and not women.flagged


def test_not_declared_is_shown_but_never_compared_nor_the_highest() -> None:
    # Those who did not declare were all shortlisted: they must not make the others look low.
    cells = _sex_cells({"female": (10, 4), "male": (10, 4), UNKNOWN: (10, 10)})
    unknown = _row(cells, UNKNOWN)
    assert not unknown.suppressed and not unknown.compared and unknown.pool == 10
    assert not breakdown(cells, "sex").flagged
    assert breakdown(cells, "sex").highest["shortlisted"] == Fraction(4, 10)


def test_a_single_comparable_group_flags_nothing() -> None:
    cells = _sex_cells({"female": (10, 1), "male": (3, 3), UNKNOWN: (10, 9)})
    found = breakdown(cells, "sex")
    assert found.compared_groups == 1 and not found.flagged
    assert found.highest["shortlisted"] is None


def test_groups_add_up_over_the_other_dimensions() -> None:
    cells = [
        Cell("MA", "female", "under_25", pool=3, shortlisted=1),
        Cell("MA", "female", "25_34", pool=3, shortlisted=2),
        Cell("TN", "female", "25_34", pool=2, shortlisted=0),
        Cell("TN", "male", "35_44", pool=6, shortlisted=1),
    ]
    report = fairness_report(cells)
    assert report.totals.pool == 14 and report.totals.stages["shortlisted"] == 4
    by_sex = {row.group: row for row in report.breakdowns[1].rows}
    assert by_sex["female"].pool == 8 and by_sex["female"].stages["shortlisted"].count == 3
    by_nationality = [row.group for row in report.breakdowns[0].rows]
    assert by_nationality == ["TN", "MA"]  # the largest group first (8 against 6)
    by_age = [(row.group, row.suppressed) for row in report.breakdowns[2].rows]
    assert by_age == [("under_25", True), ("25_34", False), ("35_44", False)]  # in age order


def test_age_bands_turn_on_the_birthday() -> None:
    today = datetime.date(2026, 12, 6)
    assert age_band(datetime.date(2001, 12, 7), today) == "under_25"  # 25 tomorrow
    assert age_band(datetime.date(2001, 12, 6), today) == "25_34"  # 25 today
    assert age_band(datetime.date(1991, 12, 7), today) == "25_34"  # 34 until tomorrow
    assert age_band(datetime.date(1971, 12, 6), today) == "55_plus"
    assert age_band(datetime.date(1971, 12, 7), today) == "45_54"


def test_a_29_february_birthday_counts_as_the_matching_core_counts_it() -> None:
    # Born 29 February 2000: 25 on 1 March 2025, not on 28 February (recruitment.matching.derived.age_on).
    born = datetime.date(2000, 2, 29)
    assert age_band(born, datetime.date(2025, 2, 28)) == "under_25"
    assert age_band(born, datetime.date(2025, 3, 1)) == "25_34"
    # On 29 February 2024, whoever was born on 28 February 1999 is 25; born 1 March 1999, still 24.
    assert born_by(datetime.date(2024, 2, 29), 25) == datetime.date(1999, 2, 28)


BAND_OF_AGE = [(lowest, code) for code, lowest in AGE_BANDS]


@settings(max_examples=300, deadline=None)  # no deadline: the machine is shared and its timing noisy
@given(
    st.dates(datetime.date(1930, 1, 1), datetime.date(2015, 12, 31)),
    st.dates(datetime.date(2020, 1, 1), datetime.date(2040, 12, 31)),
)
def test_the_age_band_is_the_band_of_the_age_the_matching_core_computes(
    born: datetime.date, on: datetime.date
) -> None:
    age = age_on(born, on)
    expected = [code for lowest, code in BAND_OF_AGE if age >= lowest][-1]
    assert age_band(born, on) == expected
