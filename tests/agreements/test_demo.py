"""The seeded demo shows the pathway: the memorandum with Taiwan shares engineering vacancies, the talent
partnerships share with ANAPEC (the demo partner login's agency), and a second seed adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from agreements.models import Agreement, VacancyShare
from core.models import User
from demo.pathway_agreements import seed_demo_agreements

pytestmark = pytest.mark.django_db


def test_the_demo_shows_agreements_sharing_vacancies(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # The recomputes queued after commit run (eagerly), as they would after a real seed: they share the
    # vacancies the later pathways' seeders publish (internships).
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "seed_demo",
            candidates=40,
            vacancies=10,
            employers=5,
            seed=42,
            stdout=StringIO(),
            stderr=StringIO(),
        )

    memorandum = Agreement.objects.get(code="vdab-taiwan-engineers")
    assert memorandum.partner_country == "TW" and "Taiwan" in memorandum.sources
    taiwan_shares = VacancyShare.objects.filter(agreement=memorandum, withdrawn_at__isnull=True)
    assert taiwan_shares.exists()
    assert all(share.vacancy.occupation.isco_group_id[:3] in {"214", "215"} for share in taiwan_shares)
    assert set(
        Agreement.objects.filter(kind=Agreement.Kind.TALENT_PARTNERSHIP).values_list(
            "partner_country", flat=True
        )
    ) == {"MA", "TN", "EG"}

    partner = User.objects.get(username="partner")
    assert VacancyShare.objects.filter(agency=partner.organisation, withdrawn_at__isnull=True).exists()
    client = Client()
    client.force_login(partner)
    page = client.get("/en/partner/agreements/shared/")
    assert page.status_code == 200 and b"EU Talent Partnership with Morocco" in page.content

    again = seed_demo_agreements()
    assert set(again.values()) == {0}
