"""Read a vacancy's search channels for its page: where it is searched, since when, why, and how many
of its candidates and cases come through each channel.

Two queries whatever the number of matches: the vacancy's search state (its matches per country,
counted by its recompute) and its channel periods. Its shares under agreements come from the caller
(the vacancy page reads them once for its own list too; read here only when not given), and so do the
cases per country (``recruitment``, which owns the cases: one grouped query over one vacancy's cases).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import VacancyShare
from agreements.selectors import vacancy_shares
from concentric.models import Channel, SearchChannelPeriod, VacancySearchState
from core.choices import EU_EEA_CH_COUNTRIES
from reference.models import ShortageList
from vacancies.models import Vacancy

BELGIUM = "BE"
DIRECT = "direct"  # candidates from a third country without an agreement: a project or a direct application


@dataclass(frozen=True)
class ShareLine:
    """One share of the vacancy under an agreement: the partner-country channel in detail."""

    country: str
    agreement: str
    agency: str
    shared_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    withdrawn_reason: str


@dataclass(frozen=True)
class Counts:
    eligible: int = 0
    conditional: int = 0
    cases: int = 0
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChannelLine:
    channel: str
    label: str
    is_open: bool
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    why: str  # why it is open, or why it is not (a sentence for the recruiter)
    counts: Counts
    notes: tuple[str, ...] = ()
    shares: tuple[ShareLine, ...] = ()


@dataclass(frozen=True)
class VacancySearch:
    published: bool
    shortage: bool
    shortage_kinds: tuple[str, ...]
    checked_at: datetime.datetime | None
    channels: tuple[ChannelLine, ...]
    direct: Counts = field(default_factory=Counts)


def channel_of_country(country: str, *, partner_countries: frozenset[str]) -> str:
    """The channel a candidate living in ``country`` comes through (a Channel value, or ``DIRECT``).

    Belgium is counted under Flanders: a candidate's region of residence in Belgium is not recorded, so
    the other regions' channel cannot be told apart (docs/pathways/concentric-search.md). A country with
    an agreement that shares this vacancy now (a share in force) counts as a partner country before any
    other rule."""
    if country == BELGIUM:
        return Channel.FLANDERS
    if country in partner_countries:
        return Channel.PARTNER_COUNTRIES
    if country in EU_EEA_CH_COUNTRIES:
        return Channel.NEIGHBOURING_COUNTRIES
    return DIRECT


def _counts_by_channel(
    residence: Mapping[str, list[int]], cases: Mapping[str, int], partner_countries: frozenset[str]
) -> dict[str, Counts]:
    totals: dict[str, list[int]] = {}
    countries: dict[str, set[str]] = {}
    for country in set(residence) | set(cases):
        channel = channel_of_country(country, partner_countries=partner_countries)
        eligible, conditional = residence.get(country, [0, 0])
        row = totals.setdefault(channel, [0, 0, 0])
        row[0] += eligible
        row[1] += conditional
        row[2] += cases.get(country, 0)
        countries.setdefault(channel, set()).add(country)
    return {
        channel: Counts(row[0], row[1], row[2], tuple(sorted(countries[channel])))
        for channel, row in totals.items()
    }


def _date(moment: datetime.date | datetime.datetime) -> str:
    return formats.date_format(moment, "DATE_FORMAT")


def _list_names(kinds: list[str] | tuple[str, ...]) -> str:
    labels = dict(ShortageList.Kind.choices)
    return "; ".join(str(labels.get(kind, kind)) for kind in kinds)


def vacancy_search(
    vacancy: Vacancy,
    *,
    cases_by_country: Mapping[str, int],
    shares: Iterable[VacancyShare] | None = None,
) -> VacancySearch:
    """The vacancy's four channels with their opening dates, reasons and counts: two queries, three
    when ``shares`` (``agreements.selectors.vacancy_shares``, with agency and agreement) is not given."""
    state = VacancySearchState.objects.filter(vacancy_id=vacancy.pk).first()
    periods: dict[str, SearchChannelPeriod] = {}
    for period in SearchChannelPeriod.objects.filter(vacancy_id=vacancy.pk).order_by("opened_at", "pk"):
        periods[period.channel] = period  # the latest period of each channel
    share_lines = [
        ShareLine(
            country=share.agreement.partner_country,
            agreement=share.agreement.name,
            agency=share.agency.name,
            shared_at=share.shared_at,
            withdrawn_at=share.withdrawn_at,
            withdrawn_reason=share.get_withdrawn_reason_display() if share.withdrawn_at else "",
        )
        for share in sorted(
            vacancy_shares(vacancy.pk) if shares is None else shares,
            key=lambda share: (share.shared_at, share.pk),
        )
    ]
    published = vacancy.status == Vacancy.Status.PUBLISHED
    kinds = tuple(state.shortage_kinds) if state else ()
    # Only the countries of shares in force: after a withdrawal its candidates come through the channel
    # their country has without the agreement (the withdrawn share stays listed, closed, with its date).
    counts = _counts_by_channel(
        state.residence_counts if state else {},
        cases_by_country,
        frozenset(line.country for line in share_lines if line.withdrawn_at is None),
    )
    checked = _date(state.checked_at) if state else ""
    lines = [
        _stored_line(Channel.FLANDERS, periods, counts, published=published, kinds=kinds, checked=checked),
        _stored_line(
            Channel.OTHER_REGIONS,
            periods,
            counts,
            published=published,
            kinds=kinds,
            checked=checked,
            notes=(
                _(
                    "A candidate's region of residence in Belgium is not recorded: candidates living in "
                    "Belgium are counted under Flanders."
                ),
            ),
        ),
        _stored_line(
            Channel.NEIGHBOURING_COUNTRIES,
            periods,
            counts,
            published=published,
            kinds=kinds,
            checked=checked,
            notes=(
                _("Published on EURES on %(date)s.") % {"date": _date(vacancy.eures_published_on)}
                if vacancy.eures_published_on
                else _("No EURES publication date is recorded for this vacancy."),
            ),
        ),
        _partner_line(share_lines, counts),
    ]
    return VacancySearch(
        published=published,
        shortage=bool(kinds),
        shortage_kinds=kinds,
        checked_at=state.checked_at if state else None,
        channels=tuple(lines),
        direct=counts.get(DIRECT, Counts()),
    )


def _stored_line(
    channel: Channel,
    periods: Mapping[str, SearchChannelPeriod],
    counts: Mapping[str, Counts],
    *,
    published: bool,
    kinds: tuple[str, ...],
    checked: str,
    notes: tuple[str, ...] = (),
) -> ChannelLine:
    period = periods.get(channel)
    is_open = period is not None and period.closed_at is None
    if period is not None and is_open:
        if period.opened_because == SearchChannelPeriod.OpenedBecause.PUBLISHED:
            why = _("Every published vacancy is searched in Flanders, from its publication.")
        else:
            why = _(
                "A shortage vacancy: its occupation is on a shortage list in force for its region "
                "(%(lists)s), so it is searched here in parallel with Flanders."
            ) % {"lists": _list_names(period.list_kinds)}
    elif period is not None:
        assert period.closed_at is not None
        why = _("Closed on %(date)s: %(reason)s.") % {
            "date": _date(period.closed_at),
            "reason": period.get_closed_because_display(),
        }
    elif not published:
        why = _("Not searched: the vacancy is not published.")
    elif not checked:
        why = _("Not yet checked: the search channels are set when the vacancy's matches are computed.")
    elif channel == Channel.FLANDERS:
        why = _("Not yet opened.")
    else:
        why = _(
            "Not opened: its occupation was on no shortage list in force for its region when last checked "
            "(%(date)s). Only a shortage vacancy is searched beyond Flanders at once."
        ) % {"date": checked}
    return ChannelLine(
        channel=channel,
        label=str(channel.label),
        is_open=is_open,
        opened_at=period.opened_at if period else None,
        closed_at=period.closed_at if period else None,
        why=why,
        counts=counts.get(channel, Counts()),
        notes=notes,
    )


def _partner_line(shares: list[ShareLine], counts: Mapping[str, Counts]) -> ChannelLine:
    """The partner countries: open while a share under an agreement is not withdrawn."""
    channel = Channel.PARTNER_COUNTRIES
    active = [share for share in shares if share.withdrawn_at is None]
    if active:
        countries = sorted({share.country for share in active})
        why = ngettext(
            "Shared under an agreement with %(countries)s.",
            "Shared under agreements with %(countries)s.",
            len({share.agreement for share in active}),
        ) % {"countries": ", ".join(countries)}
    elif shares:
        why = _("Every share under an agreement was withdrawn.")
    else:
        why = _("Not opened: no agreement with a partner country shares this vacancy.")
    withdrawn = [share.withdrawn_at for share in shares if share.withdrawn_at is not None]
    return ChannelLine(
        channel=channel,
        label=str(channel.label),
        is_open=bool(active),
        opened_at=min((share.shared_at for share in (active or shares)), default=None),
        closed_at=max(withdrawn) if shares and not active else None,
        why=why,
        counts=counts.get(channel, Counts()),
        shares=tuple(shares),
    )
