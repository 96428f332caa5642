"""Which vacancies are shortage vacancies (knelpuntvacatures) for the concentric search.

Not a rule of its own: the shortage lists in force on a day are ``reference.in_force`` (the one rule the
matching, the pre-publication check and the vacancy outlooks read), asked for the vacancy's own region
and occupation. Of those lists, the regional shortage lists count: the Flemish VDAB list and the
ministerial list of medium-skilled functions (the kinds the pre-publication check reads,
``vacancies.checks.ROUTE_LIST_KINDS``), and another region's own list for a vacancy there. The EU Talent
Pool list is an EU-wide list, not a regional shortage list, and opens no channel.
"""

import datetime

from reference.in_force import lists_in_force
from reference.models import ShortageList
from vacancies.checks import ROUTE_LIST_KINDS

SHORTAGE_LIST_KINDS = frozenset((*ROUTE_LIST_KINDS, ShortageList.Kind.OTHER_REGION))


def shortage_list_kinds(*, region: str, occupation_id: int, day: datetime.date) -> tuple[str, ...]:
    """The kinds of the shortage lists in force on ``day`` for ``region`` that name the occupation
    (empty: not a shortage vacancy). One query."""
    in_force = lists_in_force(day, region=region, naming=occupation_id)
    return tuple(
        sorted(
            kind for kind, lists in in_force.items() if kind in SHORTAGE_LIST_KINDS and lists.names_occupation
        )
    )
