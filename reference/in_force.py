"""The one rule for which salary thresholds and shortage lists apply on a day (issue 12, item 4).

The thresholds and lists that apply are the ones in force on the day (the permit application date,
domain.md 8.2). Next year's are published late (the thresholds follow Statbel's figures, the VDAB list
comes out in the spring), while a realistic vacancy starts months ahead, after its permit. So:

* per threshold category, and per list kind, what is valid on the day applies (two overlapping
  thresholds of one category, a data error: the later start wins; lists of one kind are all used);
* when none of a category or kind is valid on the day and the latest published one ended before it, the
  latest published one applies *provisionally*, and says so with the period it was published for; for
  a year after its end only: one that stopped longer ago was discontinued, not late;
* never backwards: a day before everything published gets nothing (unknown, as before).

The rule is a filter (``in_force_filter``), so a reader can use the lists in force as a subquery; read
whole, two queries whatever the data (``in_force_on``), their SQL compiled once per process and day
(``core.compiled``: building it cost four times the database's answer). Every reader (the matching's
reference facts, the pre-publication check, the vacancy outlooks, the partner API filters, the demo)
goes through here instead of ``valid_on``.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from core.choices import Region
from core.compiled import compiled_values
from reference.models import SalaryThreshold, ShortageList, ShortageListOccupation

THRESHOLDS = "thresholds"  # the part name of the salary thresholds in ``InForce.provisional_parts``


@dataclass(frozen=True)
class ThresholdInForce:
    category: str
    amount: Decimal
    valid_from: datetime.date
    valid_to: datetime.date | None
    provisional: bool  # published for an earlier period, applied because the day's is not published


@dataclass(frozen=True)
class ListsInForce:
    kind: str
    list_ids: tuple[int, ...]
    valid_from: datetime.date  # the period of the lists applied (earliest start, latest end)
    valid_to: datetime.date | None
    provisional: bool
    names_occupation: bool = False  # one of them names the occupation asked about (``naming``)


@dataclass(frozen=True)
class ProvisionalPart:
    """A part of the reference data applied provisionally: ``part`` is ``thresholds`` or a list kind."""

    part: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    def as_tuple(self) -> tuple[str, str, str]:
        return (self.part, self.valid_from.isoformat(), self.valid_to.isoformat() if self.valid_to else "")


@dataclass(frozen=True)
class InForce:
    day: datetime.date
    thresholds: Mapping[str, ThresholdInForce] = field(default_factory=dict)
    lists: Mapping[str, ListsInForce] = field(default_factory=dict)

    def amounts(self) -> dict[str, Decimal]:
        """Category -> gross annual amount, provisional or not."""
        return {category: row.amount for category, row in self.thresholds.items()}

    def list_ids(self, kinds: Iterable[str] | None = None) -> list[int]:
        wanted = set(kinds) if kinds is not None else None
        return sorted(
            pk
            for kind, lists in self.lists.items()
            if wanted is None or kind in wanted
            for pk in lists.list_ids
        )

    def provisional_parts(
        self, *, categories: Iterable[str] | None = None, kinds: Iterable[str] | None = None
    ) -> tuple[ProvisionalPart, ...]:
        """What applies provisionally: the thresholds as one part (over ``categories``, all by default:
        earliest start, latest end of the periods applied), then each list kind, in kind order."""
        wanted = set(categories) if categories is not None else None
        rows = [
            row
            for category, row in sorted(self.thresholds.items())
            if row.provisional and (wanted is None or category in wanted)
        ]
        parts: list[ProvisionalPart] = []
        if rows:
            ends = [row.valid_to for row in rows]
            parts.append(
                ProvisionalPart(
                    THRESHOLDS,
                    min(row.valid_from for row in rows),
                    None if None in ends else max(end for end in ends if end is not None),
                )
            )
        wanted_kinds = set(kinds) if kinds is not None else None
        for kind, lists in sorted(self.lists.items()):
            if lists.provisional and (wanted_kinds is None or kind in wanted_kinds):
                parts.append(ProvisionalPart(kind, lists.valid_from, lists.valid_to))
        return tuple(parts)


def _year_before(day: datetime.date) -> datetime.date:
    return (
        day.replace(year=day.year - 1, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=day.year - 1)
    )


def in_force_filter(model: type[models.Model], day: datetime.date, *, group: tuple[str, ...]) -> Q:
    """The rows of ``model`` in force on ``day``, as a filter (usable in a subquery: no query of its own).

    ``group``: the fields a row applies per besides the period (``region`` and ``category``, or
    ``region`` and ``kind``). Valid on the day; or, when no row of its group is valid on the day, the
    latest started one, if it ended within the year before the day: next year's figures are late, but a
    list or category that stopped more than a year ago was discontinued, not late.
    """
    same = {name: OuterRef(name) for name in group}
    valid = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    manager = model._default_manager
    any_valid = Exists(manager.filter(valid, **same))
    later_start = Exists(manager.filter(**same, valid_from__gt=OuterRef("valid_from"), valid_from__lte=day))
    latest_ended = Q(valid_to__lt=day, valid_to__gte=_year_before(day)) & ~any_valid & ~later_start
    return valid | latest_ended


def provisional_on(day: datetime.date) -> Q:
    """Of the rows in force (``in_force_filter``), those applied provisionally: not valid on the day."""
    return Q(valid_to__lt=day)


def in_force_lists(day: datetime.date, *, region: str = Region.FLANDERS) -> "QuerySet[ShortageList]":
    """The shortage lists of ``region`` in force on ``day``, every kind."""
    return ShortageList.objects.filter(
        in_force_filter(ShortageList, day, group=("region", "kind")), region=region
    )


def thresholds_in_force(day: datetime.date, *, region: str = Region.FLANDERS) -> dict[str, ThresholdInForce]:
    """Per category, the threshold in force on ``day`` (or the latest published, provisionally). Two
    overlapping thresholds of one category valid on the day (a data error): the later start wins."""
    rows = compiled_values(
        ("thresholds_in_force", day, region),
        lambda: (
            SalaryThreshold.objects.filter(
                in_force_filter(SalaryThreshold, day, group=("region", "category")), region=region
            )
            .annotate(provisional=ExpressionWrapper(provisional_on(day), output_field=BooleanField()))
            .order_by("category", "valid_from")
            .values_list("category", "annual_gross_eur", "valid_from", "valid_to", "provisional")
        ),
    )
    return {
        category: ThresholdInForce(category, amount, start, end, provisional=bool(provisional))
        for category, amount, start, end, provisional in rows  # in start order: the last one stays
    }


def lists_in_force(
    day: datetime.date, *, region: str = Region.FLANDERS, naming: int | None = None
) -> dict[str, ListsInForce]:
    """Per kind, the shortage lists in force on ``day`` (or the latest published one, provisionally).

    ``naming``: an occupation id; each kind then says whether a list applied names it (same query)."""

    def build() -> "QuerySet[Any, Any]":
        names = ShortageListOccupation.objects.filter(
            entry__shortage_list=OuterRef("pk"), occupation_id=naming
        )
        return (
            in_force_lists(day, region=region)
            .annotate(
                names_occupation=Exists(names) if naming is not None else Value(False),
                provisional=ExpressionWrapper(provisional_on(day), output_field=BooleanField()),
            )
            .order_by("kind", "valid_from")
            .values_list("kind", "pk", "valid_from", "valid_to", "names_occupation", "provisional")
        )

    rows = compiled_values(("lists_in_force", day, region, naming), build)
    by_kind: dict[str, list[tuple[str, int, datetime.date, datetime.date | None, bool, bool]]] = {}
    for row in rows:
        by_kind.setdefault(row[0], []).append(row)
    found: dict[str, ListsInForce] = {}
    for kind, chosen in by_kind.items():
        ends = [p[3] for p in chosen]
        found[kind] = ListsInForce(
            kind,
            tuple(p[1] for p in chosen),
            min(p[2] for p in chosen),
            None if None in ends else max(end for end in ends if end is not None),
            provisional=all(p[5] for p in chosen),
            names_occupation=any(p[4] for p in chosen),
        )
    return found


def in_force_on(day: datetime.date, *, region: str = Region.FLANDERS, naming: int | None = None) -> InForce:
    """The thresholds and the shortage lists in force on ``day`` for ``region``, in two queries
    (``naming``: see ``lists_in_force``)."""
    return InForce(
        day, thresholds_in_force(day, region=region), lists_in_force(day, region=region, naming=naming)
    )
