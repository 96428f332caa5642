"""A person registered twice, by two partner agencies, so that the duplicate candidates' review queue of
the demo has something to decide (docs/duplicates.md).

The twin is written through the same service as the partner API (``candidate_create``), with the
person's names in the other order and the same date of birth, nationality and e-mail, as a second agency
would type them; the real detection then fills the queue. Its reference extends the original's, so it is
a demo candidate like the others (``--reset`` removes it).
"""

import uuid

from candidates.models import Candidate, Consent
from candidates.services import ProfileInput, candidate_create
from core.models import Organisation
from demo.people import DEMO_EXTERNAL_PREFIX
from duplicates.services import duplicates_detect

TWIN_SUFFIX = "-TWIN"
CONSENT_FIELDS = ("purpose", "recipient", "countries", "text_version", "channel", "granted_at")


def seed_demo_duplicates() -> int:
    """Register the twin if it is not there yet and bring the review queue up to date; the number of
    candidates written (0 when the twin exists, or the demo has no second partner agency)."""
    demo = Candidate.objects.filter(external_id__startswith=DEMO_EXTERNAL_PREFIX)
    if demo.filter(external_id__endswith=TWIN_SUFFIX).exists():
        return 0
    original = (
        demo.filter(status=Candidate.Status.ACTIVE, registered_by__kind__in=Organisation.PARTNER_KINDS)
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    if original is None:
        return 0
    other_agency = (
        Organisation.objects.partners().exclude(pk=original.registered_by_id).order_by("name", "pk").first()
    )
    if other_agency is None:
        return 0
    twin = candidate_create(
        registered_by=other_agency,
        profile=ProfileInput(
            fields={
                "external_id": f"{original.external_id}{TWIN_SUFFIX}",
                "given_name": original.family_name,  # the other order, as a second agency typed it
                "family_name": original.given_name,
                "email": original.email.upper(),
                "date_of_birth": original.date_of_birth,
                "nationalities": original.nationalities,
                "country_of_residence": original.country_of_residence,
                "preferred_language": original.preferred_language,
            },
            # The person agreed with the second agency too: the same consent to be seen, given again.
            consents=[
                {field: getattr(consent, field) for field in CONSENT_FIELDS}
                for consent in original.consents.filter(purpose=Consent.Purpose.PROFILE_VISIBILITY)
            ],
        ),
    )
    # The same seed gives the same demo: the twin's public id follows from the original's.
    twin_id = uuid.uuid5(uuid.NAMESPACE_URL, f"talentbrug-demo-twin:{original.public_id}")
    Candidate.objects.filter(pk=twin.pk).update(public_id=twin_id)
    duplicates_detect()
    return 1
