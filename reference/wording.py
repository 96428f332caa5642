"""How a provisional part of the reference data is said (``reference.in_force``), in the user's language.

Shared by the pre-publication check, the match explanations, the vacancy pages and the reference data
page, so that one situation reads the same everywhere: "the 2026 thresholds, applied provisionally:
those for 2027 are not published yet".
"""

import datetime
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from reference.in_force import THRESHOLDS
from reference.models import ShortageList


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def period_label(valid_from: Any, valid_to: Any) -> str:
    """A calendar year as "2026"; any other period as its dates."""
    start, end = _date(valid_from), _date(valid_to)
    if start is None:
        return str(valid_from)
    if (
        end is not None
        and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        and start.year == end.year
    ):
        return str(start.year)
    if end is None:
        return _("from %(start)s") % {"start": formats.date_format(start, "DATE_FORMAT")}
    return _("%(start)s to %(end)s") % {
        "start": formats.date_format(start, "DATE_FORMAT"),
        "end": formats.date_format(end, "DATE_FORMAT"),
    }


def part_label(part: str) -> str:
    if part == THRESHOLDS:
        return _("salary thresholds")
    try:
        return str(ShortageList.Kind(part).label)
    except ValueError:
        return part


def provisional_sentence(part: str, valid_from: Any, valid_to: Any, day: Any) -> str:
    """ "The salary thresholds of 2026 apply provisionally: those for 2027 are not published yet." """
    checked = _date(day)
    values = {
        "part": part_label(part),
        "period": period_label(valid_from, valid_to),
        "year": checked.year if checked else day,
    }
    if part == THRESHOLDS:
        return (
            _(
                "The salary thresholds of %(period)s apply provisionally: those for %(year)s are not "
                "published yet."
            )
            % values
        )
    return (
        _("The %(part)s of %(period)s applies provisionally: the one for %(year)s is not published yet.")
        % values
    )
