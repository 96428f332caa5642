"""The report's charts as SVG geometry, computed here and drawn by the templates (no script, no inline
style: the CSP allows neither; colours come from site.css, the funnel chart's classes).

Each chart has its numbers written beside its bars, and the tables below every chart give the same
numbers again, for screen readers and for copying. The funnel against its targets is the funnel page's
own chart (``recruitment.views.projects.funnel_chart``), so both pages look and read the same.
"""

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from reports.selectors.outcomes import OutcomesOverTime, Period, StepOverTime

WIDTH = 520
LEFT = 4
BAR_AREA = 346
VALUE_X = LEFT + BAR_AREA + 12
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 12
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP


def period_label(day: datetime.date, period: Period) -> str:
    """ "2026 Q3" or "juli 2026", in the active language."""
    if period is Period.QUARTER:
        return _("%(year)s Q%(quarter)s") % {"year": day.year, "quarter": (day.month - 1) // 3 + 1}
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the figures written after the bar
    title: str  # the tooltip (and what a screen reader may read out for the row)
    label_y: int
    y: int
    text_y: int
    width: int
    target_x: int | None
    marker_top: int
    marker_bottom: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bar_height: int
    value_x: int
    bars: list[Bar]


@dataclass(frozen=True)
class BarInput:
    label: str
    value: float
    target: float | None
    text: str


def bar_chart(rows: list[BarInput], *, scale: float | None = None) -> BarChart:
    """Horizontal bars, each name on its own line above its bar, with a marker at each target."""
    top_value = scale or max([1.0, *(row.value for row in rows), *(row.target or 0 for row in rows)])
    bars = []
    for index, row in enumerate(rows):
        top = 4 + index * ROW_HEIGHT
        y = top + LABEL_HEIGHT
        bars.append(
            Bar(
                label=row.label,
                text=row.text,
                title=f"{row.label}: {row.text}",
                label_y=top + LABEL_HEIGHT - 5,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=round(min(row.value, top_value) * BAR_AREA / top_value),
                target_x=None
                if row.target is None
                else LEFT + round(min(row.target, top_value) * BAR_AREA / top_value),
                marker_top=y - 3,
                marker_bottom=y + BAR_HEIGHT + 3,
            )
        )
    return BarChart(
        width=WIDTH,
        height=8 + len(rows) * ROW_HEIGHT,
        left=LEFT,
        bar_height=BAR_HEIGHT,
        value_x=VALUE_X,
        bars=bars,
    )


# Over time: one strip per step, a column per period (its height: the candidates who had reached the
# step by the end of that period), a line at the step's target, and the last figure after the strip.
STRIP_LABEL = 20
STRIP_AREA = 44
STRIP_GAP = 12
STRIP_HEIGHT = STRIP_LABEL + STRIP_AREA + STRIP_GAP


@dataclass(frozen=True)
class Column:
    x: int
    y: int
    width: int
    height: int
    title: str


@dataclass(frozen=True)
class Strip:
    label: str
    text: str
    label_y: int
    base_y: int  # the baseline under the columns
    target_y: int | None
    text_y: int
    columns: list[Column]


@dataclass(frozen=True)
class TimeChart:
    width: int
    height: int
    left: int
    right: int  # where the columns end
    value_x: int
    strips: list[Strip]
    first_label: str
    last_label: str
    axis_y: int


def _strip(step: StepOverTime, index: int, periods: list[datetime.date], labels: list[str]) -> Strip:
    top = 4 + index * STRIP_HEIGHT
    base = top + STRIP_LABEL + STRIP_AREA
    reached = step.cumulative(periods)
    scale = max([1, step.total, step.target or 0])
    slot = BAR_AREA / max(1, len(periods))
    columns = []
    for number, (value, label) in enumerate(zip(reached, labels, strict=True)):
        height = round(value * STRIP_AREA / scale)
        columns.append(
            Column(
                x=LEFT + round(number * slot),
                y=base - height,
                width=max(1, round(slot) - 2),
                height=height,
                title=f"{step.label}, {label}: {value}",
            )
        )
    text = str(step.total) if step.target is None else f"{step.total} / {step.target}"
    return Strip(
        label=step.label,
        text=text,
        label_y=top + STRIP_LABEL - 5,
        base_y=base,
        target_y=None if step.target is None else base - round(min(step.target, scale) * STRIP_AREA / scale),
        text_y=base - 4,
        columns=columns,
    )


def time_chart(outcomes: OutcomesOverTime) -> TimeChart | None:
    """None when no step has a date yet (nothing to draw)."""
    periods = outcomes.periods
    if not periods:
        return None
    labels = [period_label(day, outcomes.period) for day in periods]
    strips = [_strip(step, index, periods, labels) for index, step in enumerate(outcomes.steps)]
    axis_y = 4 + len(strips) * STRIP_HEIGHT + 12
    return TimeChart(
        width=WIDTH,
        height=axis_y + 8,
        left=LEFT,
        right=LEFT + BAR_AREA,
        value_x=VALUE_X,
        strips=strips,
        first_label=labels[0],
        last_label=labels[-1],
        axis_y=axis_y,
    )
