"""Where a vacancy is searched, since when and why: the renewed concentric model (issue 16, pathway 3).

Every published vacancy is searched in Flanders (VDAB). A shortage vacancy (its occupation on a shortage
list in force for its region) is searched at once, in parallel, in the other regions (Actiris, Le Forem,
ADG) and in the neighbouring countries (EURES) as well. The fourth channel, the partner countries, is
not stored here: it is the vacancy's shares under an agreement (``agreements.VacancyShare``), read as
they are.

Both tables are written by one service (``concentric.services.vacancy_search_sync``), called by the
vacancy's recompute job under the vacancy's row lock. A period is closed, never deleted: the history of
when a channel opened survives every later change.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vacancies.models import Vacancy


class Channel(models.TextChoices):
    FLANDERS = "flanders", _("Flanders (VDAB)")
    OTHER_REGIONS = "other_regions", _("Other regions (Actiris, Le Forem, ADG)")
    NEIGHBOURING_COUNTRIES = "neighbouring", _("Neighbouring countries (EURES)")
    PARTNER_COUNTRIES = "partner_countries", _("Partner countries (agreements)")


# The channels this app decides and stores; the partner countries' channel is the agreements' shares.
STORED_CHANNELS = (Channel.FLANDERS, Channel.OTHER_REGIONS, Channel.NEIGHBOURING_COUNTRIES)


class SearchChannelPeriod(models.Model):
    """One period during which a vacancy was searched through one channel, and why it opened and closed."""

    class OpenedBecause(models.TextChoices):
        PUBLISHED = "published", _("The vacancy was published")
        SHORTAGE = "shortage", _("The occupation is on a shortage list")

    class ClosedBecause(models.TextChoices):
        VACANCY_CLOSED = "vacancy_closed", _("The vacancy is no longer published")
        NO_LONGER_SHORTAGE = "no_longer_shortage", _("The occupation is no longer on a shortage list")

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="search_periods"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    opened_at = models.DateTimeField(_("opened at"))
    opened_because = models.CharField(_("why opened"), max_length=12, choices=OpenedBecause.choices)
    # The kinds of the shortage lists naming the occupation when the channel opened (ShortageList.Kind).
    list_kinds = models.JSONField(_("shortage lists"), default=list, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_because = models.CharField(
        _("why closed"), max_length=20, choices=ClosedBecause.choices, blank=True
    )

    class Meta:
        verbose_name = _("search channel period")
        verbose_name_plural = _("search channel periods")
        ordering = ["vacancy", "opened_at"]
        constraints = [
            # One open period per channel: two syncs racing cannot open a channel twice.
            models.UniqueConstraint(
                fields=["vacancy", "channel"],
                condition=Q(closed_at__isnull=True),
                name="search_period_one_open_per_channel",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["flanders", "other_regions", "neighbouring"]),
                name="search_period_channel_stored",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_because="")
                | Q(closed_at__isnull=False) & ~Q(closed_because=""),
                name="search_period_closure_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("opened_at")),
                name="search_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} {self.channel} {self.opened_at:%Y-%m-%d}"


class VacancySearchState(models.Model):
    """What the last sync found for a vacancy: whether it was a shortage vacancy (the kinds of the lists
    naming its occupation) and how many of its stored matches live in each country.

    The counts are rewritten whole by each run of the vacancy's recompute, under the vacancy's row lock:
    from the one scan of the vacancy's stored matches that also recounts ``VacancyMatchCount`` (candidate
    and outcome, no join) and each candidate's country as the worker's candidate snapshot read it with the
    profile version it scored (a candidate the snapshot does not hold is looked up by id). The vacancy
    page reads one row instead of scanning tens of thousands of matches. A candidate's own recompute does
    not touch them: they are as of ``checked_at``, and the page says so.
    """

    vacancy = models.OneToOneField(
        Vacancy, on_delete=models.CASCADE, primary_key=True, related_name="search_state"
    )
    checked_at = models.DateTimeField(_("checked at"))
    checked_on = models.DateField(_("checked for the day"))
    shortage_kinds = models.JSONField(_("shortage lists"), default=list, blank=True)
    # Country code -> [eligible, near misses] among the vacancy's stored matches.
    residence_counts = models.JSONField(_("matches per country of residence"), default=dict, blank=True)

    class Meta:
        verbose_name = _("vacancy search state")
        verbose_name_plural = _("vacancy search states")

    def __str__(self) -> str:
        return f"{self.vacancy_id} checked {self.checked_at:%Y-%m-%d %H:%M}"
