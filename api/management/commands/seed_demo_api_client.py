"""``manage.py seed_demo_api_client``: the demo partner's API client, with fixed published credentials.

For ``make run`` (after ``seed_demo``) so that docs/api.md's quickstart works as written: the demo
partner organisation (ANAPEC, whose browser login is ``partner``) gets a client with every scope. The
credentials are public, so the command refuses to run unless ``DEBUG`` is on. Idempotent: an existing
demo client gets its secret and scopes reset.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from oauth2_provider.models import get_application_model

from api.scopes import ALL_SCOPES
from api.services import partner_client_create, partner_client_reset
from core.models import Organisation, User

DEMO_CLIENT_ID = "talentbrug-demo-anapec"
DEMO_CLIENT_SECRET = "demo-secret-not-for-production"
DEMO_SERVICE_USER = "api-anapec-demo"
# Where seed_demo's partner login lives, in its order of preference.
DEMO_PARTNER_NAMES = ("ANAPEC", "IOM", "ODEPC", "TBB")


class Command(BaseCommand):
    help = "Create or reset the demo partner's API client (DEBUG only): " + DEMO_CLIENT_ID

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-if-missing", action="store_true", help="No error without demo data.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo client has a published secret: only with DEBUG on (make run).")
        organisation = self._demo_partner()
        if organisation is None:
            if options["quiet_if_missing"]:
                return
            raise CommandError("No demo partner organisation: run seed_demo first.")
        Application = get_application_model()
        application = Application.objects.filter(client_id=DEMO_CLIENT_ID).first()
        if application is None:
            partner_client_create(
                organisation=organisation,
                scopes=ALL_SCOPES,
                name="Demo partner client",
                client_id=DEMO_CLIENT_ID,
                client_secret=DEMO_CLIENT_SECRET,
                username=DEMO_SERVICE_USER,
            )
        else:
            partner_client_reset(application=application, client_secret=DEMO_CLIENT_SECRET, scopes=ALL_SCOPES)
        self.stdout.write(
            f"Demo API client of {organisation}: client_id {DEMO_CLIENT_ID}, secret {DEMO_CLIENT_SECRET}"
        )

    def _demo_partner(self) -> Organisation | None:
        login = (
            User.objects.filter(username="partner", role=User.Role.PARTNER_USER)
            .select_related("organisation")
            .first()
        )
        if login is not None and login.organisation is not None:
            return login.organisation
        for name in DEMO_PARTNER_NAMES:
            organisation = Organisation.objects.partners().filter(short_name__iexact=name).first()
            if organisation is not None:
                return organisation
        return None
