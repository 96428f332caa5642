"""Who sees which information page: the one rule, written once in Python and once in SQL.

Which pages a candidate sees follows from their open cases (``welcome.stages``): each case's stage gives
groups of pages, and the case's place of work (its vacancy's region and municipality) picks, per topic,
the most specific variant: the municipality's page, else the region's, else the page for everyone. A
candidate without an open case sees the general pages before departure. The municipality counts only
once the employer knows who the candidate is (``Placement.identity_revealed_at``, the moment the
candidate's space names the employer): before that, a town's page could point to the employer.

In Python (``candidate_situation`` and ``pages_for_situation``) for one candidate's own list; in SQL
(``page_audience``) for the staff's counts and the e-mails telling candidates of new pages, where one
query per page must answer for every candidate. tests/welcome/test_audience.py holds the two equal.
A page is shown in the asked language, else in English, else in any language it has.

Read-only, like a selector; a module of its own because both the selectors and the notices service
need it (and a service does not import selectors).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from candidates.models import Candidate
from candidates.models.profile import CandidateQuerySet
from recruitment.models import Placement
from welcome.models import (
    InformationPage,
    PageLanguage,
    PageVersion,
    StageGroup,
    VersionStatus,
    municipality_key,
)
from welcome.stages import NO_CASE_GROUPS, OPEN_STAGES, groups_for_stage, stages_for_group

FALLBACK_LANGUAGE = PageLanguage.ENGLISH.value
LANGUAGE_ORDER = tuple(PageLanguage.values)
GROUP_ORDER = {group: index for index, group in enumerate(StageGroup.values)}
# Candidates who may be told of pages and counted as readers: their recruitment is going on or they
# work. A withdrawn, anonymised or restricted (GDPR art. 18) candidate is left alone.
READER_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)


# --- Where a candidate stands --------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A case's place of work, as pages are scoped: the region code and the municipality's key."""

    region: str
    municipality: str


@dataclass(frozen=True)
class Situation:
    """Per group of pages a candidate is at, the places of work of the cases that put them there
    (``None``: no open case, the general pages only)."""

    places: dict[str, frozenset[Place | None]]


def candidate_situation(*, candidate: Candidate | int) -> Situation:
    """Where ``candidate`` stands for the welcome pages: one query over their open cases."""
    candidate_id = candidate if isinstance(candidate, int) else candidate.pk
    cases = Placement.objects.filter(candidate_id=candidate_id, stage__in=sorted(OPEN_STAGES)).values_list(
        "stage", "vacancy__region", "vacancy__municipality", "identity_revealed_at"
    )
    places: dict[str, set[Place | None]] = defaultdict(set)
    for stage, region, municipality, revealed_at in cases:
        place = Place(region, municipality_key(municipality) if revealed_at is not None else "")
        for group in groups_for_stage(stage):
            places[group].add(place)
    if not places:
        for group in NO_CASE_GROUPS:
            places[group].add(None)
    return Situation(places={group: frozenset(found) for group, found in places.items()})


def _variant(variants: list[InformationPage], place: Place | None) -> InformationPage | None:
    """The most specific of a topic's pages for ``place``: its municipality's, its region's, or the
    general one; None when none applies (a topic with only another municipality's page)."""
    best: InformationPage | None = None
    for page in variants:
        if page.municipality:
            fits = place is not None and (page.region, municipality_key(page.municipality)) == (
                place.region,
                place.municipality,
            )
        elif page.region:
            fits = place is not None and page.region == place.region
        else:
            fits = True
        if fits and (best is None or page.scope_rank > best.scope_rank):
            best = page
    return best


def _resolve(situation: Situation, pages: Iterable[InformationPage]) -> list[InformationPage]:
    """The pages a candidate in ``situation`` sees, among ``pages``, in the order of the stages."""
    by_topic: dict[tuple[str, str], list[InformationPage]] = defaultdict(list)
    for page in pages:
        by_topic[(page.stage_group, page.topic)].append(page)
    chosen: dict[int, InformationPage] = {}
    for (group, _topic), variants in by_topic.items():
        for place in situation.places.get(group, ()):
            found = _variant(variants, place)
            if found is not None:
                chosen[found.pk] = found
    return sorted(
        chosen.values(), key=lambda page: (GROUP_ORDER[page.stage_group], page.position, page.topic, page.pk)
    )


def pages_for_situation(situation: Situation) -> list[InformationPage]:
    """The pages of ``situation``'s groups that may apply (one query), resolved per case."""
    regions = {place.region for places in situation.places.values() for place in places if place}
    candidates = InformationPage.objects.filter(stage_group__in=sorted(situation.places)).filter(
        Q(region="") | Q(region__in=sorted(regions))
    )
    return _resolve(situation, candidates)


def pick_version(versions: dict[str, PageVersion], language: str) -> PageVersion | None:
    """The version to show for ``language``: that language's, else English, else the first there is."""
    for code in (language, FALLBACK_LANGUAGE, *LANGUAGE_ORDER):
        if code in versions:
            return versions[code]
    return None


def published_versions(page_ids: Iterable[int]) -> dict[int, dict[str, PageVersion]]:
    """The published version of each page, per language (one query)."""
    found: dict[int, dict[str, PageVersion]] = defaultdict(dict)
    for version in PageVersion.objects.filter(page_id__in=list(page_ids), status=VersionStatus.PUBLISHED):
        found[version.page_id][version.language] = version
    return found


def candidate_language(candidate: Candidate) -> str:
    """The language to write to a candidate in: their preferred language where pages exist in it, else
    English (the language most candidates abroad read; the site's default, Dutch, is often not yet)."""
    if candidate.preferred_language in LANGUAGE_ORDER:
        return candidate.preferred_language
    return FALLBACK_LANGUAGE


# --- Who may read, as SQL (the staff's counts and the e-mails) -------------------------------------


def readers() -> CandidateQuerySet:
    """Candidates who can read the pages: an active candidate account, recruitment going on or working."""
    return Candidate.objects.filter(status__in=READER_STATUSES, account__user__is_active=True)


def _scope(page: InformationPage) -> Q:
    """The cases (rows of ``Placement``) whose place of work is in ``page``'s scope."""
    condition = Q()
    if page.region:
        condition &= Q(vacancy__region=page.region)
    if page.municipality:
        condition &= Q(vacancy__municipality__iexact=page.municipality, identity_revealed_at__isnull=False)
    return condition


def _audience(page: InformationPage, variants: Iterable[InformationPage]) -> Q:
    """Candidates (rows of ``Candidate``) who see ``page``: a case at one of its stages in its scope and
    not in the scope of a more specific variant of its topic; for a general page before departure, also
    those without an open case. ``variants``: the other pages of the topic."""
    cases = Placement.objects.filter(
        candidate_id=OuterRef("pk"), stage__in=sorted(stages_for_group(page.stage_group))
    ).filter(_scope(page))
    for other in variants:
        # A more specific page inside this page's scope takes the cases of its place.
        narrower = other.scope_rank > page.scope_rank and (not page.region or other.region == page.region)
        if other.pk != page.pk and other.stage_group == page.stage_group and narrower:
            cases = cases.exclude(_scope(other))
    audience = Q(Exists(cases))
    if page.stage_group in NO_CASE_GROUPS and page.scope_rank == 0:
        audience |= ~Q(
            Exists(Placement.objects.filter(candidate_id=OuterRef("pk"), stage__in=sorted(OPEN_STAGES)))
        )
    return audience


def topic_variants(page: InformationPage) -> list[InformationPage]:
    """Every page of ``page``'s topic, itself included (one query)."""
    return list(InformationPage.objects.filter(topic=page.topic))


def page_audience(
    page: InformationPage, *, variants: list[InformationPage] | None = None
) -> CandidateQuerySet:
    """The readers (``readers``) who see ``page`` now."""
    return readers().filter(_audience(page, topic_variants(page) if variants is None else variants))
