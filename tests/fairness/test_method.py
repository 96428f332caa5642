"""The fairness method without a database: suppression of small groups, the four-fifths rule at its
boundary, groups that are never compared, and age bands on birthdays (docs/fairness.md)."""

import datetime
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from fairness.method import (
    AGE_BANDS,
    MIN_GROUP,
    STAGES,
    UNKNOWN,
    Cell,
    Dimension,
    GroupRow,
    age_band,
    born_by,
    breakdown,
    fairness_report,
    hidden_groups,
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
    # Four men, none shortlisted: a rate of 0 that would be flagged if compared. (Three undeclared are
    # hidden with them, so that neither can be worked out from the totals.)
    cells = _sex_cells({"female": (10, 5), "male": (MIN_GROUP - 1, 0), "x": (5, 3), UNKNOWN: (3, 1)})
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
    cells = _sex_cells({"female": (10, 1), "male": (3, 3), "x": (2, 0), UNKNOWN: (10, 9)})
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
    by_age = [row.group for row in report.breakdowns[2].rows]
    assert by_age == ["under_25", "25_34", "35_44"]  # in age order


def _shown_and_hidden(cells: list[Cell], dimension: Dimension = "sex") -> tuple[list[str], list[str]]:
    rows = breakdown(cells, dimension).rows
    return [r.group for r in rows if not r.suppressed], [r.group for r in rows if r.suppressed]


def test_one_hidden_group_takes_the_next_smallest_with_it() -> None:
    # The review's example: 28 = 12 women + 15 men + 1 X; 3 hired, a woman and a man among them. With
    # only the X person hidden, the totals minus the shown groups would say they were hired.
    cells = [
        Cell("MA", "female", "25_34", pool=12, shortlisted=4, hired=1),
        Cell("MA", "male", "25_34", pool=15, shortlisted=5, hired=1),
        Cell("MA", "x", "25_34", pool=1, shortlisted=1, hired=1),
    ]
    # The women (the smaller shown group) are hidden too; that leaves one shown group: all are hidden.
    assert _shown_and_hidden(cells) == ([], ["female", "male", "x"])
    assert breakdown(cells, "sex").all_hidden and breakdown(cells, "sex").compared_groups == 0
    # With a third large group, the women are hidden with the X person and the others are compared.
    cells.append(Cell("MA", UNKNOWN, "25_34", pool=20, shortlisted=2))
    assert _shown_and_hidden(cells) == (["male", UNKNOWN], ["female", "x"])
    women = _row(cells, "female")
    assert women.stages == {} and women.pool is None and not women.compared  # no stage figure either


def test_hidden_groups_together_under_five_take_the_next_smallest_with_them() -> None:
    assert hidden_groups({"a": 2, "b": 2, "c": 5, "d": 6, "e": 7}) == {"a", "b", "c"}
    assert hidden_groups({"a": 3, "b": 2, "c": 5, "d": 6}) == {"a", "b"}  # 5 together: enough
    assert hidden_groups({"a": 1, "b": 5, "c": 6}) == {"a", "b", "c"}  # one would be left: all hidden
    assert hidden_groups({"a": 5, "b": 6}) == set()
    assert hidden_groups({"a": 3}) == {"a"}


def _distributions() -> st.SearchStrategy[list[Cell]]:
    """Small pools over a few groups per dimension, with nested stage counts (hired within proposed
    within shortlisted within the pool)."""

    def cell(nationality: str, sex: str, band: str, pool: int, picks: tuple[int, int, int]) -> Cell:
        shortlisted = min(picks[0], pool)
        proposed = min(picks[1], shortlisted)
        return Cell(nationality, sex, band, pool, shortlisted, proposed, min(picks[2], proposed))

    one = st.builds(
        cell,
        st.sampled_from(["MA", "TN", "UA", "SY", UNKNOWN]),
        st.sampled_from(["female", "male", "x", UNKNOWN]),
        st.sampled_from([code for code, _lowest in AGE_BANDS]),
        st.integers(1, 9),
        st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)),
    )
    return st.lists(one, min_size=1, max_size=8)


@settings(max_examples=500, deadline=None)
@given(_distributions())
def test_no_hidden_figure_is_the_totals_minus_the_shown_groups(cells: list[Cell]) -> None:
    report = fairness_report(cells)
    for found in report.breakdowns:
        hidden = [row.group for row in found.rows if row.suppressed]
        shown = [row for row in found.rows if not row.suppressed]
        pools = {
            group: sum(c.pool for c in cells if getattr(c, found.dimension) == group) for group in hidden
        }
        # What subtraction gives: the hidden groups' pool and stage counts taken together.
        assert report.totals.pool - sum(row.pool or 0 for row in shown) == sum(pools.values())
        for stage in STAGES:
            together = report.totals.stages[stage] - sum(row.stages[stage].count for row in shown)
            assert together == sum(getattr(c, stage) for c in cells if getattr(c, found.dimension) in hidden)
        if not hidden or len(found.rows) == 1:
            continue  # nothing hidden; or one group, which is the totals themselves
        # The difference is spread over at least two hidden groups, so no single group's figure follows.
        assert len(hidden) >= 2
        # And it is not a small count of people, unless every group is hidden (the pool is that small).
        assert sum(pools.values()) >= MIN_GROUP or len(shown) == 0
        # Small groups are always hidden, and hidden groups are never compared.
        assert all(row.pool is not None and row.pool >= MIN_GROUP for row in shown)
        assert all(not row.compared for row in found.rows if row.suppressed)
        assert found.compared_groups == sum(1 for row in shown if row.group != UNKNOWN)


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
