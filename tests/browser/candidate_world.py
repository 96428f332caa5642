"""The world of the candidate's journeys in a browser (tests/browser/test_candidate_journey.py).

The web world (``tests.web.world``): Amina Benali, registered by partner agency "Partner X", proposed
to employer "Lasbedrijf A" with her consent to share her profile with them, and another candidate of the
same agency (Youssef Alaoui) whose data must never reach her. Added here: the people who act in the
journeys (a partner agency's user, the recruiter's authenticator, an employer's user), Amina's
preferred language (the invitation is written in it), and the example welcome pages.

Browser tests use ``transactional_db``, which empties every table after each test: the example pages the
data migration wrote are gone by then, so they are written again here, by the migration's own function.
"""

import importlib
from dataclasses import dataclass

from django.apps import apps
from django_otp.plugins.otp_totp.models import TOTPDevice

from candidates.models import Candidate
from core.models import User
from tests import factories
from tests.web.world import WebWorld, build_web_world, employer_user
from welcome.models import InformationPage

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's, for the staff-side users
CANDIDATE_PASSWORD = "a long and unusual passphrase 42"  # chosen by the candidate in the journey

_seeding = importlib.import_module("welcome.migrations.0002_example_pages")


@dataclass
class CandidateWorld:
    web: WebWorld
    candidate: Candidate  # Amina Benali, not yet invited
    other: Candidate  # Youssef Alaoui, of the same agency
    partner_user: User  # "pia", of the agency that registered both
    recruiter: User  # "lotte" in the web world, with a confirmed authenticator
    recruiter_device: TOTPDevice
    employer_user: User  # "els", of the employer Amina is proposed to


def example_pages_seed() -> None:
    """The example welcome pages of the data migration, written again when a flush removed them (the
    function creates only the pages that do not exist)."""
    if not InformationPage.objects.exists():
        _seeding.create_example_pages(apps, None)


def build_candidate_world(language: str) -> CandidateWorld:
    """The web world, with Amina preferring ``language`` and her e-mail address her own."""
    web = build_web_world()
    candidate = web.candidate
    # In the web world both candidates share one address; the candidate signs in with hers.
    Candidate.objects.filter(pk=candidate.pk).update(
        preferred_language=language, email="amina.benali@example.org"
    )
    candidate.refresh_from_db()
    web.near_miss.refresh_from_db()
    partner_user = factories.UserFactory.create(
        username="pia", first_name="Pia", role=User.Role.PARTNER_USER, organisation=web.partner
    )
    web.recruiter.username = "lotte"
    web.recruiter.save(update_fields=["username"])
    device = TOTPDevice.objects.create(user=web.recruiter, name="phone", confirmed=True)
    boss = employer_user(web.employer_a)
    boss.username = "els"
    boss.save(update_fields=["username"])
    example_pages_seed()
    return CandidateWorld(
        web=web,
        candidate=candidate,
        other=web.near_miss,
        partner_user=partner_user,
        recruiter=web.recruiter,
        recruiter_device=device,
        employer_user=boss,
    )
