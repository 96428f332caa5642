"""Reads of vacancies. Selectors never write.

What a partner organisation sees: published vacancies open to at least one project it takes part in,
of employers in good standing. A vacancy reaches a partner as soon as it is published and opened to one
of its projects; drafts, filled and closed vacancies do not.
"""

import uuid

from django.db.models import Exists, OuterRef

from core.models import Organisation
from vacancies.models import Vacancy, VacancyQuerySet

SUSPENDED = (Organisation.Compliance.SUSPENDED, Organisation.Compliance.EXCLUDED)


def vacancies_for_partner(*, organisation: Organisation) -> VacancyQuerySet:
    """Published vacancies open to a project ``organisation`` takes part in, of employers not suspended."""
    open_to_partner = Vacancy.open_to_projects.through.objects.filter(
        vacancy_id=OuterRef("pk"), project__partnerships__organisation=organisation
    )
    return (
        Vacancy.objects.open()
        .filter(Exists(open_to_partner))
        .exclude(employer__compliance_status__in=SUSPENDED)
    )


def vacancy_for_partner(*, organisation: Organisation, public_id: uuid.UUID) -> Vacancy | None:
    return vacancies_for_partner(organisation=organisation).filter(public_id=public_id).first()
