"""``ETag`` and ``If-Match`` (RFC 9110, sections 8.8.3 and 13.1.1): a write that refuses to overwrite a
change the client has not seen.

A candidate's entity tag is its ``profile_version``, which every change of the profile moves, and only
that (``candidates.services``: a write that changes nothing moves nothing). A partner's system that read
version 7 and sends ``If-Match: "7"`` with its change gets a 412 if someone changed the candidate since,
and nothing is written. What the tag does not cover: ``matches_current`` (the recompute's progress) and
the names of what a profile refers to (an organisation, a programme): they are not the partner's to
change, and a write must not fail because a recompute finished meanwhile.

The check and the write run in one transaction under the candidate's row lock (``candidate_locked``),
so two writers sending the same tag cannot both pass. Without ``If-Match`` a write goes through as
before (docs/api.md recommends sending it).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from rest_framework.request import Request

from api.problems import InvalidHeader, PreconditionFailed
from candidates.models import Candidate

IF_MATCH = "If-Match"


def candidate_etag(version: int) -> str:
    return f'"{version}"'


def _if_match(request: Request) -> list[str] | None:
    """The entity tags of ``If-Match`` (``["*"]`` for any), None without the header, 400 if unreadable."""
    header = request.headers.get(IF_MATCH)
    if header is None:
        return None
    tags = parse_etags(header)
    if not tags:
        raise InvalidHeader(IF_MATCH, _('Send the ETag you read, quotes included, e.g. If-Match: "7".'))
    return tags


@contextmanager
def candidate_unchanged_since_read(request: Request, candidate: Candidate) -> Iterator[None]:
    """Run the body (a write of ``candidate``) only if ``If-Match`` names its current version, and
    hold the candidate's row lock from that check until the write commits. Without the header, the
    body runs as it is."""
    tags = _if_match(request)
    if tags is None:
        yield
        return
    with transaction.atomic():
        version = (
            Candidate.objects.select_for_update()
            .filter(pk=candidate.pk)
            .values_list("profile_version", flat=True)
            .get()
        )
        current = candidate_etag(version)
        # Strong comparison: a weak tag (W/"7") never matches, as RFC 9110 requires for If-Match.
        if tags != ["*"] and current not in tags:
            raise PreconditionFailed(
                _(
                    "The candidate changed since you read it: read it again, apply your change to what "
                    "you read, and send it with the new ETag in If-Match."
                ),
                headers={"ETag": current},
            )
        yield
