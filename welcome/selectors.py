"""Reads of the welcome pages. Selectors never write.

Which pages a candidate sees, and who sees a page, is the rule of ``welcome.audience``; here are the
candidate's list with what they read, and the staff's reads: pages per stage and language, versions,
and who read what. A page is shown in the asked language, else in English, else in any it has.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from candidates.models import Candidate
from candidates.models.profile import CandidateQuerySet
from core.models import User
from recruitment.selectors import is_staff_user
from welcome.audience import (
    GROUP_ORDER,
    LANGUAGE_ORDER,
    candidate_language,
    candidate_situation,
    page_audience,
    pages_for_situation,
    pick_version,
    published_versions,
)
from welcome.models import InformationPage, PageVersion, ReadReceipt, VersionStatus

EDIT_PERMISSION = "welcome.change_informationpage"


# --- The candidate's pages -------------------------------------------------------------------------


class ReadStatus(StrEnum):
    NEW = "new"  # never opened
    UPDATED = "updated"  # opened, but a newer version was published since
    READ = "read"


@dataclass(frozen=True)
class WelcomeEntry:
    """One page as a candidate sees it: the version in their language and whether they read it."""

    page: InformationPage
    version: PageVersion
    status: ReadStatus
    read_at: datetime.datetime | None  # when they last opened the page, in any version


def _status(version: PageVersion, last_read: datetime.datetime | None) -> ReadStatus:
    if last_read is None:
        return ReadStatus.NEW
    assert version.published_at is not None  # a published version is dated (a CHECK constraint)
    return ReadStatus.READ if last_read >= version.published_at else ReadStatus.UPDATED


def welcome_entries_for_candidate(*, candidate: Candidate, language: str) -> list[WelcomeEntry]:
    """The pages ``candidate`` sees now, in ``language`` (with the fallback), each with its read status;
    pages without a published version are left out. Four queries, whatever the number of pages."""
    pages = pages_for_situation(candidate_situation(candidate=candidate))
    versions = published_versions(page.pk for page in pages)
    last_reads = dict(
        ReadReceipt.objects.filter(candidate=candidate, page_id__in=[page.pk for page in pages])
        .values("page_id")
        .annotate(last=Max("read_at"))
        .values_list("page_id", "last")
    )
    entries = []
    for page in pages:
        version = pick_version(versions.get(page.pk, {}), language)
        if version is None:
            continue
        last_read = last_reads.get(page.pk)
        entries.append(WelcomeEntry(page, version, _status(version, last_read), last_read))
    return entries


def welcome_entry_for_candidate(
    *, candidate: Candidate, public_id: str, language: str
) -> WelcomeEntry | None:
    """One of ``candidate``'s pages by its public id; None when it is not one of theirs (a 404)."""
    for entry in welcome_entries_for_candidate(candidate=candidate, language=language):
        if str(entry.page.public_id) == str(public_id):
            return entry
    return None


# --- Staff ---------------------------------------------------------------------------------------


def can_edit_pages(user: User) -> bool:
    """Staff who hold the permission to change information pages (a superuser holds every one)."""
    return is_staff_user(user) and user.is_active and user.has_perm(EDIT_PERMISSION)


@dataclass(frozen=True)
class LanguageState:
    language: str
    published: PageVersion | None
    draft: PageVersion | None  # the newest draft, when newer than the published version


@dataclass(frozen=True)
class StaffPageRow:
    page: InformationPage
    languages: list[LanguageState]
    readers_of_current: int  # candidates who opened a version published now, in any language

    @property
    def is_example(self) -> bool:
        return any(state.published is not None and state.published.is_example for state in self.languages)


def _language_states(page: InformationPage, versions: list[PageVersion]) -> list[LanguageState]:
    states = []
    for language in LANGUAGE_ORDER:
        mine = [version for version in versions if version.language == language]
        published = next((version for version in mine if version.status == VersionStatus.PUBLISHED), None)
        drafts = [version for version in mine if version.status == VersionStatus.DRAFT]
        draft = max(drafts, key=lambda version: version.number, default=None)
        if draft is not None and published is not None and draft.number < published.number:
            draft = None
        states.append(LanguageState(language, published, draft))
    return states


def pages_for_staff(*, group: str = "") -> list[StaffPageRow]:
    """Every page (of ``group``, when given) with its published version and newest draft per language,
    and how many candidates opened its current text. Three queries, whatever the number of pages."""
    pages = list(InformationPage.objects.all())
    if group:
        pages = [page for page in pages if page.stage_group == group]
    pages.sort(key=lambda page: (GROUP_ORDER[page.stage_group], page.position, page.topic, page.scope_rank))
    ids = [page.pk for page in pages]
    versions: dict[int, list[PageVersion]] = defaultdict(list)
    for version in PageVersion.objects.filter(
        page_id__in=ids, status__in=[VersionStatus.PUBLISHED, VersionStatus.DRAFT]
    ).only("id", "page_id", "language", "number", "status", "is_example", "title", "published_at"):
        versions[version.page_id].append(version)
    read_counts = dict(
        ReadReceipt.objects.filter(page_id__in=ids, version__status=VersionStatus.PUBLISHED)
        .values("page_id")
        .annotate(readers=Count("candidate_id", distinct=True))
        .values_list("page_id", "readers")
    )
    return [
        StaffPageRow(page, _language_states(page, versions[page.pk]), read_counts.get(page.pk, 0))
        for page in pages
    ]


def page_for_staff(*, public_id: str) -> InformationPage | None:
    return InformationPage.objects.filter(public_id=public_id).first()


def page_versions(*, page: InformationPage) -> list[PageVersion]:
    """All of a page's versions, newest first per language, with who wrote and published them."""
    return list(
        PageVersion.objects.filter(page=page)
        .select_related("created_by", "published_by")
        .order_by("language", "-number")
    )


def latest_version(*, page: InformationPage, language: str) -> PageVersion | None:
    """The newest version of ``page`` in ``language`` (the starting point of an edit)."""
    return PageVersion.objects.filter(page=page, language=language).order_by("-number").first()


@dataclass(frozen=True)
class PageReading:
    """Of the candidates who see a page now: how many opened its current text, only an older one, or
    nothing, and a queryset of them with when they last opened it (for a paginated table)."""

    audience: int
    read_current: int
    read_older_only: int
    unread: int
    rows: CandidateQuerySet


def page_reading(*, page: InformationPage) -> PageReading:
    """Who read ``page``: one aggregate query (plus the topic's variants), and the rows' queryset."""
    current = PageVersion.objects.filter(page=page, status=VersionStatus.PUBLISHED).values("pk")
    read_current = Exists(ReadReceipt.objects.filter(candidate_id=OuterRef("pk"), version_id__in=current))
    read_any = Exists(ReadReceipt.objects.filter(candidate_id=OuterRef("pk"), page=page))
    audience = page_audience(page)
    counts = audience.aggregate(
        total=Count("pk"),
        current=Count("pk", filter=Q(read_current)),
        any=Count("pk", filter=Q(read_any)),
    )
    last_read = ReadReceipt.objects.filter(candidate_id=OuterRef("pk"), page=page).order_by("-read_at")
    rows = audience.annotate(
        last_read_at=Subquery(last_read.values("read_at")[:1]),
        read_current=read_current,
    ).order_by("family_name", "given_name", "pk")
    return PageReading(
        audience=counts["total"],
        read_current=counts["current"],
        read_older_only=counts["any"] - counts["current"],
        unread=counts["total"] - counts["any"],
        rows=rows,
    )


__all__ = [
    "EDIT_PERMISSION",
    "LanguageState",
    "PageReading",
    "ReadStatus",
    "StaffPageRow",
    "WelcomeEntry",
    "can_edit_pages",
    "candidate_language",
    "candidate_situation",
    "latest_version",
    "page_audience",
    "page_for_staff",
    "page_reading",
    "page_versions",
    "pages_for_staff",
    "welcome_entries_for_candidate",
    "welcome_entry_for_candidate",
]
