"""``manage.py create_partner_client --organisation ANAPEC --scopes candidates:read candidates:write ...``

Creates an OAuth2 client (client-credentials grant) for a partner organisation, owned by a new service
user of that organisation, and prints its client id and secret. The secret is shown this once: only a
hash is stored. Without ``--scopes`` the client may ask for every scope.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from api.scopes import ALL_SCOPES
from api.services import partner_client_create
from core.models import Organisation


def find_partner(reference: str) -> Organisation:
    """A partner organisation by id, short name or name (case-insensitive)."""
    query = Q(short_name__iexact=reference) | Q(name__iexact=reference)
    if reference.isdigit():
        query |= Q(pk=int(reference))
    matches = list(Organisation.objects.filter(query)[:2])
    if len(matches) != 1:
        raise CommandError(f"No single organisation is called {reference!r} (found {len(matches)}).")
    organisation = matches[0]
    if organisation.kind not in Organisation.PARTNER_KINDS:
        raise CommandError(
            f"{organisation} is a {organisation.get_kind_display()}, not a partner organisation."
        )
    return organisation


class Command(BaseCommand):
    help = "Create an OAuth2 client for a partner organisation and print its id and secret (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="Id, short name or name.")
        parser.add_argument(
            "--scopes", nargs="+", choices=ALL_SCOPES, default=list(ALL_SCOPES), help="Scopes it may ask for."
        )
        parser.add_argument("--name", default="", help="A label for operators, e.g. 'ANAPEC CRM'.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = find_partner(options["organisation"])
        credentials = partner_client_create(
            organisation=organisation, scopes=options["scopes"], name=options["name"]
        )
        self.stdout.write(f"Client for {organisation} (service user {credentials.service_user}):")
        self.stdout.write(f"  client_id:     {credentials.client_id}")
        self.stdout.write(f"  client_secret: {credentials.client_secret}")
        self.stdout.write(f"  scopes:        {' '.join(credentials.scopes)}")
        self.stdout.write(
            self.style.WARNING("Store the secret now: it is not shown again (only its hash is kept).")
        )
