"""Issue 12, item 3: a consent withdrawn after a proposal is acted on.

The candidate of the web world was proposed to employer A while consenting to share their profile with
it. Once that consent is withdrawn (or runs out) the employer no longer sees the case anywhere (its
lists, the proposal, the reminder e-mails), the case stays for the recruiter with a flag, and the partner
agency that registered the candidate gets one ``placement.consent_withdrawn`` event; no other partner
does. Granting the consent again shows the case to the employer again.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, Consent
from candidates.services import ProfileInput, candidate_update
from core.models import User
from projects.models import ProjectPartner
from recruitment.models import Placement
from recruitment.selectors import employer_vacancy_list, placements_visible_to
from recruitment.selectors.dashboard import dashboard_for
from recruitment.services.placements import placement_move
from recruitment.services.reminders import proposal_reminders_send
from tests import factories
from tests.web.world import WebWorld, build_web_world, employer_user, verified_client
from tests.webhooks.receiver import Receiver
from webhooks.events import EventType
from webhooks.models import WebhookEvent
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db

EVENT = "placement.consent_withdrawn"
SHARING = Consent.Purpose.SHARE_WITH_EMPLOYER


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def world(receiver: Receiver) -> WebWorld:
    """The web world, its partner and another one both subscribed to every event (a local receiver)."""
    world = build_web_world()
    # The partner registered the candidate into this project, so it may change their profile.
    ProjectPartner.objects.create(
        project=world.project, organisation=world.partner, role=ProjectPartner.Role.ORIGIN_PES
    )
    other = factories.OrganisationFactory.create(name="Partner Y")
    for organisation in (world.partner, other):
        subscription_create(organisation=organisation, url=receiver.url, event_types=list(EventType.values))
    return world


def _sharing_consent(world: WebWorld) -> Consent:
    return Consent.objects.filter(candidate=world.candidate, purpose=SHARING).latest("granted_at")


def _withdraw(world: WebWorld, commit: Any, *, execute: bool = True) -> None:
    """The candidate's partner sends the consents in force without the one naming employer A."""
    with commit(execute=execute):
        candidate_update(candidate=world.candidate, profile=ProfileInput(consents=[]))


def _grant(world: WebWorld, commit: Any, *, text_version: str = "2026-11") -> None:
    with commit(execute=True):
        candidate_update(
            candidate=world.candidate,
            profile=ProfileInput(
                consents=[
                    {
                        "purpose": SHARING,
                        "recipient": world.employer_a,
                        "text_version": text_version,
                        "granted_at": timezone.now() - datetime.timedelta(seconds=1),
                    }
                ]
            ),
        )


def _employer_sees(world: WebWorld) -> bool:
    employer = employer_user(world.employer_a)
    return placements_visible_to(user=employer).filter(pk=world.placement.pk).exists()


def _events() -> list[WebhookEvent]:
    return list(WebhookEvent.objects.filter(type=EVENT))


def test_withdrawing_hides_the_case_from_the_employer_at_once(
    world: WebWorld, django_capture_on_commit_callbacks: Any
) -> None:
    assert _employer_sees(world)
    # "At once": before any follow-up task has run, the employer's reads already leave the case out.
    _withdraw(world, django_capture_on_commit_callbacks, execute=False)
    assert not _employer_sees(world)
    listed = employer_vacancy_list(organisation_id=world.employer_a.pk).get(pk=world.vacancy.pk)
    assert listed.proposal_count == 0  # type: ignore[attr-defined]  # an annotation
    # Human work is kept: the case is still there, at its stage, and the recruiter still sees it.
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED
    assert placements_visible_to(user=world.recruiter).filter(pk=world.placement.pk).exists()


def test_the_employer_can_no_longer_act_on_the_case(
    world: WebWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _withdraw(world, django_capture_on_commit_callbacks, execute=False)
    with pytest.raises(ValidationError):
        placement_move(
            placement=world.placement,
            to_stage=Placement.Stage.EMPLOYER_INTERESTED,
            actor=employer_user(world.employer_a),
            expected_version=world.placement.version,
        )
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED and world.placement.identity_revealed_at is None


def test_the_recruiter_sees_the_case_flagged_with_the_date(
    world: WebWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _withdraw(world, django_capture_on_commit_callbacks)
    world.placement.refresh_from_db()
    assert world.placement.hidden_from_employer_at == _sharing_consent(world).withdrawn_at
    hidden = dashboard_for(user=world.recruiter, now=timezone.now()).hidden
    assert [case.pk for case in hidden.rows] == [world.placement.pk] and hidden.count == 1


def test_the_candidates_partner_is_told_once_and_no_other_partner(
    world: WebWorld, django_capture_on_commit_callbacks: Any, receiver: Receiver
) -> None:
    from recruitment.services.sharing import employer_sharing_sync

    _withdraw(world, django_capture_on_commit_callbacks)
    [event] = _events()
    assert event.organisation_id == world.partner.pk
    assert event.data["placement"] == str(world.placement.public_id)
    assert event.data["employer"] == world.employer_a.pk
    assert event.data["stage"] == Placement.Stage.PROPOSED
    assert "Benali" not in str(event.data)
    assert [r.payload for r in receiver.received if r.path == "/hooks"]  # delivered, after commit
    # The periodic pass finds nothing new: one event per withdrawal, whatever the number of runs.
    employer_sharing_sync()
    employer_sharing_sync(candidate_id=world.candidate.pk)
    assert len(_events()) == 1


def test_a_consent_withdrawn_in_the_admin_is_followed_up_like_one_from_the_api(
    world: WebWorld, django_capture_on_commit_callbacks: Any
) -> None:
    consent = _sharing_consent(world)
    operator = verified_client(factories.UserFactory.create(is_staff=True, is_superuser=True))
    granted = timezone.localtime(consent.granted_at)
    now = timezone.localtime()
    form = {
        "candidate": consent.candidate_id,
        "purpose": consent.purpose,
        "recipient": consent.recipient_id,
        "countries": "[]",
        "text_version": consent.text_version,
        "channel": "paper",
        "granted_at_0": granted.date().isoformat(),
        "granted_at_1": granted.strftime("%H:%M:%S"),
        "withdrawn_at_0": now.date().isoformat(),
        "withdrawn_at_1": now.strftime("%H:%M:%S"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(reverse("admin:candidates_consent_change", args=[consent.pk]), form)
    assert response.status_code == 302, response.content
    assert not _employer_sees(world)
    world.placement.refresh_from_db()
    assert world.placement.hidden_from_employer_at is not None
    assert [event.organisation_id for event in _events()] == [world.partner.pk]


def test_a_candidate_the_partner_no_longer_sees_is_flagged_but_not_reported(world: WebWorld) -> None:
    """The webhook follows the partner's API (``recruitment.partner_scope``): a withdrawn candidate's
    cases are not shown to the partner, so no event names them; the recruiter's flag does not depend on it.
    This also covers a consent withdrawn without the profile service (the periodic pass finds it)."""
    from recruitment.services.sharing import employer_sharing_sync

    Candidate.objects.filter(pk=world.candidate.pk).update(
        status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    Consent.objects.filter(candidate=world.candidate, purpose=SHARING).update(withdrawn_at=timezone.now())
    assert employer_sharing_sync().hidden == 1
    world.placement.refresh_from_db()
    assert world.placement.hidden_from_employer_at is not None
    assert _events() == []


def test_granting_the_consent_again_shows_the_case_again(
    world: WebWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _withdraw(world, django_capture_on_commit_callbacks)
    assert not _employer_sees(world)
    _grant(world, django_capture_on_commit_callbacks)
    assert _employer_sees(world)
    world.placement.refresh_from_db()
    assert world.placement.hidden_from_employer_at is None
    assert dashboard_for(user=world.recruiter, now=timezone.now()).hidden.count == 0
    assert len(_events()) == 1  # the withdrawal's; showing the case again sends nothing


def test_renewing_the_consent_hides_nothing(world: WebWorld, django_capture_on_commit_callbacks: Any) -> None:
    """A new text version withdraws the old row and records the new one in the same write: the consent
    never stopped, so nothing is hidden, flagged or reported."""
    _grant(world, django_capture_on_commit_callbacks, text_version="2026-12")
    assert Consent.objects.filter(candidate=world.candidate, withdrawn_at__isnull=False).count() == 1
    assert _employer_sees(world)
    world.placement.refresh_from_db()
    assert world.placement.hidden_from_employer_at is None
    assert _events() == []


def test_a_consent_that_runs_out_hides_the_case_and_the_periodic_pass_flags_it(world: WebWorld) -> None:
    from recruitment.tasks import sync_employer_sharing_task

    ended = timezone.now() - datetime.timedelta(minutes=5)
    Consent.objects.filter(candidate=world.candidate, purpose=SHARING).update(expires_at=ended)
    assert not _employer_sees(world)
    sync_employer_sharing_task.delay()
    world.placement.refresh_from_db()
    assert world.placement.hidden_from_employer_at == ended
    assert [event.organisation_id for event in _events()] == [world.partner.pk]


def test_no_reminder_e_mail_is_sent_about_a_hidden_case(
    world: WebWorld, django_capture_on_commit_callbacks: Any
) -> None:
    factories.UserFactory.create(
        role=User.Role.EMPLOYER_USER, organisation=world.employer_a, email="hr@lasbedrijf.example"
    )
    Placement.objects.filter(pk=world.placement.pk).update(response_due_on=timezone.localdate())
    _withdraw(world, django_capture_on_commit_callbacks, execute=False)
    mail.outbox.clear()
    assert proposal_reminders_send(today=timezone.localdate()) == 0
    assert mail.outbox == []
    world.placement.refresh_from_db()
    assert world.placement.reminded_at is None  # not claimed: reminded once the consent is back

    _grant(world, django_capture_on_commit_callbacks)
    assert proposal_reminders_send(today=timezone.localdate()) == 1
