"""The demo candidate login: a demo candidate with an open account, so the candidate's space (/me/) can
be tried with a case to follow.

Which candidate: one of the "partner" login's organisation with an open case the employer already
knows them in (the employer is named to them), else one with any open case, else any demo candidate; the
same data give the same choice. The login is refreshed on every run like the others, and removed with
them by ``reset`` (its e-mail is in the demo domain; the account goes with the user).
"""

from django.db import transaction
from django.utils import timezone

from candidate_space.models import CandidateAccount
from candidates.models import Candidate
from core.models import User
from demo.employers import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, demo_email
from demo.people import DEMO_EXTERNAL_PREFIX
from recruitment.models import Placement
from recruitment.workflow import FINAL_STAGES

DEMO_CANDIDATE_USERNAME = "candidate"


def _pick(partner_organisation_id: int | None) -> Candidate | None:
    demo = Candidate.objects.filter(
        external_id__startswith=DEMO_EXTERNAL_PREFIX, status=Candidate.Status.ACTIVE, account__isnull=True
    )
    open_cases = Placement.objects.exclude(stage__in=sorted(s.value for s in FINAL_STAGES))
    choices = [
        demo.filter(
            registered_by_id=partner_organisation_id,
            placements__in=open_cases.filter(identity_revealed_at__isnull=False),
        ),
        demo.filter(placements__in=open_cases.filter(identity_revealed_at__isnull=False)),
        demo.filter(placements__in=open_cases),
        demo,
    ]
    for queryset in choices:
        found = queryset.order_by("external_id").first()
        if found is not None:
            return found
    return None


@transaction.atomic
def upsert_demo_candidate_login(*, password: str = DEMO_PASSWORD) -> str | None:
    """Create or refresh the demo candidate login; return its line for the command's output, or None
    when there is no demo candidate or the username belongs to someone else (a real user)."""
    user = User.objects.filter(username=DEMO_CANDIDATE_USERNAME).first()
    if user is not None and not user.email.endswith(f"@{DEMO_EMAIL_DOMAIN}"):
        return None
    account = CandidateAccount.objects.filter(user=user).select_related("candidate").first() if user else None
    candidate = account.candidate if account is not None else None
    if candidate is None:
        partner = User.objects.filter(username="partner", email=demo_email("partner")).first()
        candidate = _pick(partner.organisation_id if partner else None)
        if candidate is None:
            return None
    user = user or User(username=DEMO_CANDIDATE_USERNAME)
    user.email = demo_email(DEMO_CANDIDATE_USERNAME)
    user.first_name = candidate.given_name
    user.last_name = candidate.family_name
    user.role = User.Role.CANDIDATE
    user.organisation = None  # a candidate belongs to no organisation
    user.is_staff = user.is_superuser = False
    user.is_active = True
    user.set_password(password)
    user.save()
    if account is None:
        now = timezone.now()
        CandidateAccount.objects.create(user=user, candidate=candidate, invited_at=now, activated_at=now)
    return f"{DEMO_CANDIDATE_USERNAME:<12} candidate {candidate} ({candidate.external_id})"
