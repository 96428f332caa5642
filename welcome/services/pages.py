"""Staff write the pages; candidates leave read receipts.

A version is written once: an edit is a new version with the next number, a draft until it is
published. Publishing retires the version published before in that language, in one transaction under
a lock on the page, so candidates always see exactly one text per language (a partial unique constraint
holds it too) and two editors saving at once get numbers 2 and 3, never 2 twice. Errors are
``PageError`` (a ``ValidationError``) with a message in the user's language; nothing is written then.

Who may call the editing services is the views' business (``welcome.selectors.can_edit_pages``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Candidate
from core.models import User
from welcome.models import InformationPage, PageLanguage, PageVersion, ReadReceipt, StageGroup, VersionStatus


class PageError(ValidationError):
    """An edit refused, with the reason in the user's language; nothing was written."""


def _clean_text(*, language: str, title: str, summary: str, body: str) -> tuple[str, str, str]:
    title, summary, body = (title or "").strip(), (summary or "").strip(), (body or "").strip()
    errors: dict[str, str] = {}
    if language not in PageLanguage.values:
        errors["language"] = _("Choose Dutch, French or English.")
    if not title:
        errors["title"] = _("Give the page a title.")
    if not body:
        errors["body"] = _("Write the text of the page.")
    if len(title) > PageVersion._meta.get_field("title").max_length:  # type: ignore[operator]
        errors["title"] = _("The title is too long.")
    if len(summary) > PageVersion._meta.get_field("summary").max_length:  # type: ignore[operator]
        errors["summary"] = _("The summary is too long.")
    if errors:
        raise PageError(errors)
    # One blank line between paragraphs, whatever the browser sent (\r\n, trailing spaces).
    paragraphs = [" ".join(line.split()) for line in body.replace("\r\n", "\n").split("\n")]
    return title, summary, "\n".join(paragraphs).strip()


def _publish(version: PageVersion, *, by: User | None, now: datetime.datetime) -> None:
    """Make ``version`` the published one of its page and language (the caller holds the page's lock)."""
    PageVersion.objects.filter(
        page_id=version.page_id, language=version.language, status=VersionStatus.PUBLISHED
    ).update(status=VersionStatus.RETIRED)
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])


def page_version_create(
    *,
    page: InformationPage,
    language: str,
    title: str,
    summary: str,
    body: str,
    is_example: bool,
    publish: bool,
    by: User | None,
    now: datetime.datetime | None = None,
) -> PageVersion:
    """Write a new version of ``page`` in ``language`` (the next number), published at once when
    ``publish``. Refused (``PageError``) when the text is incomplete or the same as the newest version's.
    """
    title, summary, body = _clean_text(language=language, title=title, summary=summary, body=body)
    now = now or timezone.now()
    with transaction.atomic():
        # The lock serialises version numbers and the switch of the published version per page.
        InformationPage.objects.select_for_update().filter(pk=page.pk).first()
        newest = PageVersion.objects.filter(page=page, language=language).order_by("-number").first()
        if newest is not None and (newest.title, newest.summary, newest.body, newest.is_example) == (
            title,
            summary,
            body,
            is_example,
        ):
            if publish and newest.status == VersionStatus.DRAFT:
                _publish(newest, by=by, now=now)
                return newest
            raise PageError(
                _("This text is the same as version %(number)d: there is nothing new to save.")
                % {"number": newest.number}
            )
        version = PageVersion.objects.create(
            page=page,
            language=language,
            number=(newest.number if newest else 0) + 1,
            title=title,
            summary=summary,
            body=body,
            is_example=is_example,
            status=VersionStatus.DRAFT,
            created_at=now,
            created_by=by,
        )
        if publish:
            _publish(version, by=by, now=now)
    return version


def page_create(
    *,
    topic: str,
    stage_group: str,
    region: str,
    municipality: str,
    position: int,
    language: str,
    title: str,
    summary: str,
    body: str,
    is_example: bool,
    publish: bool,
    by: User | None,
) -> PageVersion:
    """Create a page with its first text, in one language; returns that version (``.page`` is the page).
    Refused (``PageError``) for a topic that already has a page for this place, or an incomplete text."""
    page = InformationPage(
        topic=(topic or "").strip().lower(),
        stage_group=stage_group,
        region=region or "",
        municipality=" ".join((municipality or "").split()),
        position=position,
    )
    try:
        page.full_clean()
    except ValidationError as exc:
        raise PageError(exc.message_dict) from exc
    # The variants of a topic replace one another, so they must be shown at the same stages.
    other_group = (
        InformationPage.objects.filter(topic=page.topic).values_list("stage_group", flat=True).first()
    )
    if other_group is not None and other_group != page.stage_group:
        raise PageError(
            {
                "stage_group": _("The other pages of this topic are shown at “%(stage)s”: choose that stage.")
                % {"stage": StageGroup(other_group).label}
            }
        )
    _clean_text(language=language, title=title, summary=summary, body=body)
    try:
        with transaction.atomic():
            page.save()
            return page_version_create(
                page=page,
                language=language,
                title=title,
                summary=summary,
                body=body,
                is_example=is_example,
                publish=publish,
                by=by,
            )
    except IntegrityError as exc:  # created by someone else between the check and the save
        raise PageError({"topic": _("This topic already has a page for this place.")}) from exc


def page_version_publish(
    *, version_id: int, by: User | None, now: datetime.datetime | None = None
) -> PageVersion:
    """Publish the draft ``version_id``: candidates see it from now on, and the version it replaces is
    kept as retired. Refused (``PageError``) for a version that is not a draft, or older than the one
    published in its language (publishing it would bring back an older text)."""
    now = now or timezone.now()
    with transaction.atomic():
        page_id = PageVersion.objects.filter(pk=version_id).values_list("page_id", flat=True).first()
        if page_id is None:
            raise PageError(_("This version does not exist any more."))
        InformationPage.objects.select_for_update().filter(pk=page_id).first()
        version = PageVersion.objects.get(pk=version_id)
        if version.status != VersionStatus.DRAFT:
            raise PageError(
                _("Version %(number)d is not a draft: only a draft can be published.")
                % {"number": version.number}
            )
        newest_published = (
            PageVersion.objects.filter(
                page_id=page_id, language=version.language, status=VersionStatus.PUBLISHED
            )
            .aggregate(number=Max("number"))
            .get("number")
        )
        if newest_published is not None and newest_published > version.number:
            raise PageError(
                _(
                    "Version %(newer)d is already published: write a new version rather than "
                    "publish version %(older)d."
                )
                % {"newer": newest_published, "older": version.number}
            )
        _publish(version, by=by, now=now)
    return version


def page_read_record(
    *, candidate: Candidate, version: PageVersion, now: datetime.datetime | None = None
) -> bool:
    """Record that ``candidate`` opened the published ``version`` (once: the first time is kept); True
    when this is the first time. Opening it again costs one read and writes nothing."""
    if version.status != VersionStatus.PUBLISHED:
        raise ValueError("only a published version is read")
    _receipt, created = ReadReceipt.objects.get_or_create(
        candidate=candidate,
        version=version,
        defaults={"page_id": version.page_id, "read_at": now or timezone.now()},
    )
    return created
