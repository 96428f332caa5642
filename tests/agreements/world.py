"""Helpers of the agreements tests: an agreement through its service, a fitting vacancy, a shortage list."""

import datetime
from typing import Any

from django.utils import timezone

from agreements.models import Agreement
from agreements.services import agreement_save
from core.models import Organisation
from reference.models import EscoOccupation, ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories


def agreement(
    *,
    agencies: list[Organisation],
    occupations: list[EscoOccupation] | None = None,
    code: str = "tw-engineers",
    **fields: Any,
) -> Agreement:
    """An agreement in force since last month (its sync queued after commit, like any save)."""
    values: dict[str, Any] = {
        "code": code,
        "name": f"Agreement {code}",
        "kind": Agreement.Kind.MEMORANDUM,
        "partner_country": "TW",
        "starts_on": timezone.localdate() - datetime.timedelta(days=30),
        "ends_on": None,
        "shortage_list_kinds": [],
        "vacancy_kinds": [],
        "regions": [],
    }
    return agreement_save(agencies=agencies, occupations=occupations or [], **(values | fields))


def on_shortage_list(occupation: EscoOccupation, kind: str = ShortageList.Kind.VDAB_SHORTAGE) -> ShortageList:
    """A Flemish list of ``kind`` valid from last year, naming ``occupation``."""
    today = timezone.localdate()
    shortage_list = ShortageList.objects.create(
        kind=kind,
        title=f"List {kind}",
        valid_from=today.replace(month=1, day=1) - datetime.timedelta(days=365),
    )
    entry = ShortageListEntry.objects.create(shortage_list=shortage_list, title_nl=str(occupation))
    ShortageListOccupation.objects.create(entry=entry, occupation=occupation)
    return shortage_list


def agency(name: str = "Demo agency", **fields: Any) -> Organisation:
    return factories.OrganisationFactory.create(name=name, **fields)
