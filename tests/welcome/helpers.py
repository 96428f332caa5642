"""Helpers for the welcome pages' tests: candidates with an account, their cases at a stage, pages with
published texts, and signed-in clients. The seeded example pages are removed by ``no_seeded_pages``
where a test counts pages."""

import datetime

from django.test import Client
from django.utils import timezone

from candidate_space.models import CandidateAccount
from candidates.models import Candidate
from core.models import User
from recruitment.models import Placement
from recruitment.workflow import REASON_REQUIRED, Stage
from tests import factories
from tests.web.world import verified_client
from welcome.models import InformationPage, PageVersion
from welcome.services import page_create, page_version_create

TEXT = "First paragraph.\n\n- one item\n- another item"


def reader(*, email: str = "", language: str = "en", active: bool = True, **fields: object) -> Candidate:
    """A candidate with an active account (their user signs in to /me/)."""
    candidate = factories.CandidateFactory.create(preferred_language=language, **fields)
    address = email or f"candidate{candidate.pk}@example.org"
    user = User.objects.create_user(
        username=address,
        email=address,
        password="a long and unusual passphrase 42",
        role=User.Role.CANDIDATE,
        organisation=None,
        is_active=active,
    )
    now = timezone.now()
    CandidateAccount.objects.create(user=user, candidate=candidate, invited_at=now, activated_at=now)
    return candidate


def client_of(candidate: Candidate) -> Client:
    client = Client()
    client.force_login(CandidateAccount.objects.get(candidate=candidate).user)
    return client


def staff_client(*, editor: bool = False, superuser: bool = False) -> Client:
    """A recruiter who passed the second factor; ``editor``: holding the permission to edit pages."""
    user = factories.UserFactory.create(is_superuser=superuser)
    if editor:
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="change_informationpage"))
    return verified_client(user)


def case(
    candidate: Candidate,
    stage: Stage,
    *,
    municipality: str = "Gent",
    postal_code: str = "9000",
    region: str = "VLG",
    revealed: bool = False,
) -> Placement:
    """A case of ``candidate`` at ``stage`` for a new vacancy in ``municipality``."""
    now = timezone.now()
    vacancy = factories.VacancyFactory.create(
        municipality=municipality, postal_code=postal_code, region=region
    )
    return Placement.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        stage=stage,
        stage_changed_at=now,
        proposed_at=None if stage in (Stage.SHORTLISTED,) else now - datetime.timedelta(days=1),
        reason="other" if stage in REASON_REQUIRED else "",
        identity_revealed_at=now if revealed else None,
    )


def page(
    topic: str,
    group: str,
    *,
    region: str = "",
    municipality: str = "",
    languages: tuple[str, ...] = ("en",),
    title: str = "",
    position: int = 100,
) -> InformationPage:
    """A page with a published text in each of ``languages`` (titles "<topic> <language>")."""
    first, *others = languages
    version = page_create(
        topic=topic,
        stage_group=group,
        region=region,
        municipality=municipality,
        position=position,
        language=first,
        title=title or f"{topic} {first}",
        summary="",
        body=TEXT,
        is_example=False,
        publish=True,
        by=None,
    )
    for language in others:
        publish(version.page, language, title=f"{topic} {language}")
    return version.page


def publish(target: InformationPage, language: str, *, title: str, body: str = TEXT) -> PageVersion:
    return page_version_create(
        page=target,
        language=language,
        title=title,
        summary="",
        body=body,
        is_example=False,
        publish=True,
        by=None,
    )


def no_seeded_pages() -> None:
    """Remove the example pages the data migration wrote (inside the test's transaction)."""
    InformationPage.objects.all().delete()


def welcome_placeholders() -> dict[str, str]:
    """The authorisation matrix's placeholders for the welcome pages: ``{welcome_page}`` is an example
    page before departure (every candidate of the matrix sees it), ``{welcome_page_elsewhere}`` one after
    starting work (none of them does), ``{welcome_version}`` the first page's English text."""
    shown = InformationPage.objects.get(topic="dutch-online", region="", municipality="")
    elsewhere = InformationPage.objects.get(topic="when-something-is-wrong", region="", municipality="")
    version = PageVersion.objects.get(page=shown, language="en", status=PageVersion.Status.PUBLISHED)
    return {
        "welcome_page": str(shown.public_id),
        "welcome_page_elsewhere": str(elsewhere.public_id),
        "welcome_version": str(version.public_id),
    }
