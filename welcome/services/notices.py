"""Telling candidates by e-mail when new pages apply to them: a stage they newly reached shows pages
they have not read, or a page of their stage got a new version.

Run hourly by beat (``send_welcome_notices_task``), with no arguments (nothing personal in a message).
``welcome_notices_due`` finds, page by page in SQL, the readers who see the page (the same rule as
their own list, ``welcome.selectors``) in the version of their language, have not opened it since that
version was published, and were not told of it yet; one query per page, whatever the number of
candidates. Each candidate then gets one e-mail listing their pages.

Told once: before sending, ``welcome_notice_send`` inserts one ``PageNotice`` per (candidate, version)
in a transaction of its own. The pair is unique, so when two workers (or a redelivered message) race
for the same candidate the second insert fails and that worker sends nothing. A failed send gives the
claim back, and the next run tries again; an address refused for good keeps it (retrying changes
nothing). The e-mail is in the candidate's language, names no case and no employer, and links to
their space, where they sign in to read.
"""

import datetime
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candidate_space.models import CandidateAccount
from candidates.models import Candidate
from welcome.audience import (
    FALLBACK_LANGUAGE,
    LANGUAGE_ORDER,
    candidate_language,
    page_audience,
    pick_version,
    published_versions,
)
from welcome.models import InformationPage, PageNotice, PageVersion, ReadReceipt, VersionStatus

logger = logging.getLogger(__name__)

# Candidates told per run: a run stays well within the task's time limit; the rest wait an hour.
MAX_CANDIDATES_PER_RUN = 500


def _speaks(language: str) -> Q:
    """Candidates written to in ``language`` (``candidate_language``: English for any other language)."""
    if language == FALLBACK_LANGUAGE:
        others = [code for code in LANGUAGE_ORDER if code != FALLBACK_LANGUAGE]
        return ~Q(preferred_language__in=others)
    return Q(preferred_language=language)


def _unread_and_untold(version: PageVersion) -> Q:
    read_since = ReadReceipt.objects.filter(
        candidate_id=OuterRef("pk"), page_id=version.page_id, read_at__gte=version.published_at
    )
    told = PageNotice.objects.filter(candidate_id=OuterRef("pk"), version_id=version.pk)
    return ~Q(Exists(read_since)) & ~Q(Exists(told))


def welcome_notices_due() -> dict[int, list[int]]:
    """Per candidate id, the published versions they should be told of (see the module's docstring).
    Two queries, then one per page with a published version."""
    pages = list(InformationPage.objects.all())
    versions = published_versions(page.pk for page in pages)
    by_topic: dict[str, list[InformationPage]] = defaultdict(list)
    for page in pages:
        by_topic[page.topic].append(page)
    due: dict[int, list[int]] = defaultdict(list)
    for page in pages:
        shown = {language: pick_version(versions.get(page.pk, {}), language) for language in LANGUAGE_ORDER}
        condition = Q()
        for language, version in shown.items():
            if version is not None:
                condition |= _speaks(language) & _unread_and_untold(version)
        if not condition:
            continue  # nothing published
        rows = (
            page_audience(page, variants=by_topic[page.topic])
            .exclude(account__user__email="")
            .filter(condition)
            .values_list("pk", "preferred_language")
        )
        for candidate_id, preferred in rows:
            version = shown[preferred if preferred in LANGUAGE_ORDER else FALLBACK_LANGUAGE]
            assert version is not None  # the condition selected only languages with a version
            due[candidate_id].append(version.pk)
    return dict(due)


def _claim(candidate_id: int, version_ids: list[int], now: datetime.datetime) -> list[int]:
    """Insert the notices; the versions claimed, or [] when another sender claimed any of them first."""
    still_published = list(
        PageVersion.objects.filter(pk__in=version_ids, status=VersionStatus.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    if not still_published:
        return []
    try:
        with transaction.atomic():
            PageNotice.objects.bulk_create(
                PageNotice(candidate_id=candidate_id, version_id=version_id, notified_at=now)
                for version_id in still_published
            )
    except IntegrityError:  # told by another worker in the meantime: that one sends
        return []
    return still_published


def _message(candidate: Candidate, versions: list[PageVersion], updated: set[int], to: str) -> EmailMessage:
    language = candidate_language(candidate)
    with translation.override(language):
        path = reverse("me_welcome:index")
        context = {
            "pages": [
                {"title": version.title, "summary": version.summary, "updated": version.page_id in updated}
                for version in versions
            ],
            "url": f"{settings.SITE_URL}{path}",
            "examples": any(version.is_example for version in versions),
        }
        subject = _("Talentbrug: new information for you")
        body = render_to_string("welcome/email/new_pages.txt", context)
    return EmailMessage(subject=subject, body=body, to=[to])


def welcome_notice_send(
    *, candidate_id: int, version_ids: list[int], now: datetime.datetime | None = None
) -> bool:
    """Tell candidate ``candidate_id`` of the versions ``version_ids`` in one e-mail; True when it went
    out. Claimed first (see the module's docstring), so calling it twice sends once."""
    now = now or timezone.now()
    account = (
        CandidateAccount.objects.filter(candidate_id=candidate_id, user__is_active=True)
        .select_related("user", "candidate")
        .first()
    )
    if account is None or not account.user.email:
        return False
    claimed = _claim(candidate_id, version_ids, now)
    if not claimed:
        return False
    versions = list(PageVersion.objects.filter(pk__in=claimed).select_related("page"))
    versions.sort(key=lambda version: (version.page.stage_group, version.page.position, version.page.topic))
    updated = set(
        ReadReceipt.objects.filter(
            candidate_id=candidate_id, page_id__in=[v.page_id for v in versions]
        ).values_list("page_id", flat=True)
    )
    try:
        sent = get_connection().send_messages(
            [_message(account.candidate, versions, updated, account.user.email)]
        )
    except Exception as exc:
        if _refused_for_good(exc):  # retrying changes nothing: keep the claim
            logger.warning("welcome notice refused by the mail server", extra={"candidate": candidate_id})
            return False
        PageNotice.objects.filter(candidate_id=candidate_id, version_id__in=claimed, notified_at=now).delete()
        raise
    return bool(sent)


def _refused_for_good(exc: Exception) -> bool:
    """The address refused with a permanent (5xx) reply. A 4xx (a full mailbox, greylisting) passes:
    kept, the claim would lose the e-mail for good."""
    if not isinstance(exc, smtplib.SMTPRecipientsRefused) or not exc.recipients:
        return False
    return all(code >= 500 for code, _reply in exc.recipients.values())


def welcome_notices_send(*, now: datetime.datetime | None = None) -> int:
    """Tell every candidate of the pages due to them (at most ``MAX_CANDIDATES_PER_RUN``); return how
    many e-mails went out. A failure for one candidate is logged and the others go on."""
    now = now or timezone.now()
    told = 0
    for candidate_id, version_ids in sorted(welcome_notices_due().items())[:MAX_CANDIDATES_PER_RUN]:
        try:
            told += welcome_notice_send(candidate_id=candidate_id, version_ids=version_ids, now=now)
        except Exception:  # the claim was given back: the next run tries again
            logger.exception("welcome notice not sent", extra={"candidate": candidate_id})
    return told


__all__ = ["MAX_CANDIDATES_PER_RUN", "welcome_notice_send", "welcome_notices_due", "welcome_notices_send"]
