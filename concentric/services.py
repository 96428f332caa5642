"""Keep a vacancy's search channels and its matches per country (``concentric.models``).

``vacancy_search_sync`` is called by the vacancy's recompute job (``recruitment.services.recompute``),
inside its transaction and after it wrote the matches, so it sees the vacancy as the matches were
computed for it. The recompute hands it the counts per country (``residence_counts_of``: from the scan
that recounts the vacancy's matches and the countries of its worker's candidate snapshot), so nothing
here joins the matches to the candidates while the vacancy's row is locked. It is idempotent and never
loses an opening:

- a channel that should be open and has no open period gets one; one that is open stays as it is (its
  opening time never moves); one that should no longer be open is closed, never deleted;
- the vacancy's row lock (``FOR UPDATE``, already held by the recompute) orders two runs of one
  vacancy, and a partial unique constraint allows one open period per channel whatever happens;
- running it twice on the same data writes the same state and opens nothing more.

When a channel opens: Flanders at the vacancy's publication; the other regions and EURES at the
publication too when the occupation was already on a shortage list that day (the renewed model searches
a shortage vacancy in parallel from the start), otherwise when a sync first finds it on one.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from concentric.models import STORED_CHANNELS, Channel, SearchChannelPeriod, VacancySearchState
from concentric.shortage import shortage_list_kinds
from vacancies.models import Vacancy

# The match outcomes counted, in the order of ``VacancySearchState.residence_counts`` values.
COUNTED_OUTCOMES = ("eligible", "conditional")


@dataclass(frozen=True)
class SearchSync:
    opened: tuple[str, ...]
    closed: tuple[str, ...]
    shortage_kinds: tuple[str, ...]


def vacancy_search_sync(
    *,
    vacancy_id: int,
    counts: Mapping[str, list[int]] | None = None,
    matches: "QuerySet[Any] | None" = None,
    now: datetime.datetime | None = None,
) -> SearchSync:
    """Open and close the vacancy's stored channels for what it is now, and store its matches per
    country of residence: ``counts`` as the caller counted them (the recompute: ``residence_counts_of``),
    or else counted here from ``matches`` (the vacancy's stored matches: rows with a ``candidate`` and an
    ``outcome``; one grouped query joining the candidates: for callers outside the recompute). Returns
    what it opened and closed."""
    if (counts is None) == (matches is None):
        raise TypeError("vacancy_search_sync takes either counts or matches")
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        vacancy = (
            Vacancy.objects.select_for_update()
            .filter(pk=vacancy_id)
            .values("status", "region", "occupation_id", "published_at")
            .first()
        )
        if vacancy is None:
            return SearchSync((), (), ())
        published = vacancy["status"] == Vacancy.Status.PUBLISHED
        kinds = (
            shortage_list_kinds(region=vacancy["region"], occupation_id=vacancy["occupation_id"], day=day)
            if published
            else ()
        )
        wanted: dict[str, tuple[str, list[str]]] = {}
        if published:
            wanted[Channel.FLANDERS] = (SearchChannelPeriod.OpenedBecause.PUBLISHED, [])
            if kinds:
                for channel in (Channel.OTHER_REGIONS, Channel.NEIGHBOURING_COUNTRIES):
                    wanted[channel] = (SearchChannelPeriod.OpenedBecause.SHORTAGE, list(kinds))
        periods = list(SearchChannelPeriod.objects.filter(vacancy_id=vacancy_id))
        opening = _OpeningTimes(vacancy, periods, now)
        opened: list[str] = []
        closed: list[str] = []
        for channel in STORED_CHANNELS:
            current = next((p for p in periods if p.channel == channel and p.closed_at is None), None)
            if channel in wanted and current is None:
                because, list_kinds = wanted[channel]
                SearchChannelPeriod.objects.create(
                    vacancy_id=vacancy_id,
                    channel=channel,
                    opened_at=opening.for_channel(channel),
                    opened_because=because,
                    list_kinds=list_kinds,
                )
                opened.append(channel)
            elif channel not in wanted and current is not None:
                SearchChannelPeriod.objects.filter(pk=current.pk).update(
                    closed_at=max(now, current.opened_at),
                    closed_because=(
                        SearchChannelPeriod.ClosedBecause.NO_LONGER_SHORTAGE
                        if published
                        else SearchChannelPeriod.ClosedBecause.VACANCY_CLOSED
                    ),
                )
                closed.append(channel)
        VacancySearchState.objects.update_or_create(
            vacancy_id=vacancy_id,
            defaults={
                "checked_at": now,
                "checked_on": day,
                "shortage_kinds": list(kinds),
                "residence_counts": (
                    residence_counts(matches) if matches is not None else dict(sorted((counts or {}).items()))
                ),
            },
        )
    return SearchSync(tuple(opened), tuple(closed), kinds)


def residence_counts_of(countries: np.ndarray, eligible: np.ndarray) -> dict[str, list[int]]:
    """Country of residence -> [eligible, near misses], given per stored match its candidate's country
    and whether it is eligible (a stored match that is not is a near-miss). No query."""
    counts: dict[str, list[int]] = {}
    for position, among in enumerate((eligible, ~eligible)):
        found, n = np.unique(countries[among], return_counts=True)
        for country, count in zip(found.tolist(), n.tolist(), strict=True):
            counts.setdefault(str(country), [0, 0])[position] += int(count)
    return dict(sorted(counts.items()))


def residence_counts(matches: "QuerySet[Any]") -> dict[str, list[int]]:
    """Country of residence -> [eligible, near misses] among ``matches``, in one grouped query."""
    counts: dict[str, list[int]] = {}
    rows = (
        matches.order_by()
        .values("candidate__country_of_residence", "outcome")
        .annotate(n=Count("pk"))
        .values_list("candidate__country_of_residence", "outcome", "n")
    )
    for country, outcome, n in rows:
        if outcome in COUNTED_OUTCOMES:
            counts.setdefault(country or "", [0, 0])[COUNTED_OUTCOMES.index(outcome)] += n
    return dict(sorted(counts.items()))


class _OpeningTimes:
    """When a channel opening now is taken to have opened (see the module docstring)."""

    def __init__(
        self, vacancy: Mapping[str, Any], periods: list[SearchChannelPeriod], now: datetime.datetime
    ) -> None:
        self.vacancy = vacancy
        self.now = now
        self.published_at: datetime.datetime | None = vacancy["published_at"]
        self.closed_last = {
            p.channel: p.closed_at for p in sorted(periods, key=lambda p: p.opened_at) if p.closed_at
        }
        self._shortage_at_publication: bool | None = None

    def _since_publication(self, channel: str) -> bool:
        """Whether the channel can be said to have opened at the publication: published, and not closed
        since (a republished vacancy's new period starts at the new publication or now)."""
        published_at = self.published_at
        last = self.closed_last.get(channel)
        return (
            published_at is not None and published_at <= self.now and (last is None or published_at >= last)
        )

    def for_channel(self, channel: str) -> datetime.datetime:
        if not self._since_publication(channel):
            return self.now
        assert self.published_at is not None
        if channel == Channel.FLANDERS:
            return self.published_at
        if self._shortage_at_publication is None:  # one query, asked once for both shortage channels
            self._shortage_at_publication = bool(
                shortage_list_kinds(
                    region=self.vacancy["region"],
                    occupation_id=self.vacancy["occupation_id"],
                    day=timezone.localdate(self.published_at),
                )
            )
        return self.published_at if self._shortage_at_publication else self.now
