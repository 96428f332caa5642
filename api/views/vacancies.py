"""Vacancies open to the partner's projects, and the matches of its candidates (read only); and what of
them left its view (``…/removed/``)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api import selectors, sync
from api.pagination import SyncPagination
from api.scopes import MATCHES_READ, VACANCIES_READ
from api.serializers.common import RemovedSinceSerializer
from api.serializers.matches import MatchFilterSerializer, MatchSerializer, RemovedMatchSerializer
from api.serializers.vacancies import RemovedVacancySerializer, VacancyFilterSerializer, VacancySerializer
from api.views.base import PartnerView
from recruitment.selectors import vacancy_outlooks
from vacancies.models import Vacancy


class VacancyView(PartnerView):
    """Vacancies open to your projects."""

    def vacancy_answer(self, vacancies: list[Vacancy]) -> dict[str, Any]:
        """The serializer context: today's shortage lists and routes of each vacancy (two queries)."""
        return {
            **self.serializer_context(),
            "outlooks": vacancy_outlooks(vacancies, day=timezone.localdate()),
        }


class VacancyListView(VacancyView):
    """Published vacancies open to a project you take part in."""

    required_scopes = {"GET": VACANCIES_READ}
    pagination_class = SyncPagination

    @extend_schema(
        tags=["Vacancies"],
        operation_id="vacancies_list",
        parameters=[VacancyFilterSerializer],
        responses=VacancySerializer(many=True),
        summary="List the vacancies open to your projects or shared with you",
        description=(
            "Published vacancies open to a project you take part in, or shared with you under an agreement "
            "(see shares; filter with shared and agreement), in the order they were created. A "
            "vacancy reaches you as soon as it is published. Shortage-list status and permit routes are "
            "evaluated today (they may change without the vacancy: updated_since does not follow them). "
            "Vacancies closed since: GET /vacancies/removed/."
        ),
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(VacancyFilterSerializer)
        vacancies = selectors.vacancies_for_partner_list(
            organisation=self.organisation,
            day=timezone.localdate(),
            occupation=filters.get("occupation"),
            region=filters.get("region"),
            shortage_list=filters.get("shortage_list"),
            permit_route=filters.get("permit_route"),
            project_code=filters.get("project"),
            published_since=filters.get("published_since"),
            updated_since=filters.get("updated_since"),
            shared={"true": True, "false": False}.get(filters.get("shared") or ""),
            agreement=filters.get("agreement"),
        )
        # Without the selector's prefetches: the list serializer reads the nested lists as plain rows.
        page = self.paginate_queryset(vacancies.prefetch_related(None))
        assert page is not None
        return self.get_paginated_response(
            VacancySerializer(page, many=True, context=self.vacancy_answer(page)).data
        )


class RemovedVacancyListView(PartnerView):
    """Vacancies open to your projects that were closed or filled since a moment."""

    required_scopes = {"GET": VACANCIES_READ}
    pagination_class = SyncPagination

    @extend_schema(
        tags=["Vacancies"],
        operation_id="vacancies_removed_list",
        parameters=[RemovedSinceSerializer],
        responses=RemovedVacancySerializer(many=True),
        summary="List the vacancies closed since a moment",
        description=(
            "Vacancies open to your projects that you saw published and that no longer are (closed, "
            "filled, back to draft), changed since updated_since: delete them from your copy. Their "
            "matches are removed too (GET /matches/removed/)."
        ),
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(RemovedSinceSerializer)
        vacancies = selectors.vacancies_removed_for_partner(
            organisation=self.organisation, updated_since=filters["updated_since"]
        )
        return self.paginated(vacancies, RemovedVacancySerializer)


class VacancyDetailView(VacancyView):
    """One vacancy open to your projects, with today's shortage lists and permit routes."""

    required_scopes = {"GET": VACANCIES_READ}

    @extend_schema(tags=["Vacancies"], operation_id="vacancies_retrieve", responses=VacancySerializer)
    def get(self, request: Request, vacancy_id: Any) -> Response:
        vacancy = (
            selectors.vacancies_for_partner_list(organisation=self.organisation, day=timezone.localdate())
            .filter(public_id=vacancy_id)
            .first()
        )
        if vacancy is None:
            raise NotFound(_("No vacancy open to your projects has this id."))
        return Response(VacancySerializer(vacancy, context=self.vacancy_answer([vacancy])).data)


class MatchListView(PartnerView):
    """Matches of your candidates."""

    required_scopes = {"GET": MATCHES_READ}
    pagination_class = SyncPagination
    problem_statuses = {"GET": ("410",)}  # updated_since older than the removals kept

    @extend_schema(
        tags=["Matches"],
        operation_id="matches_list",
        parameters=[MatchFilterSerializer],
        responses=MatchSerializer(many=True),
        summary="List the matches of your candidates",
        description=(
            "Stored matches (eligible or conditional) of your candidates with vacancies open to your "
            "projects, by candidate and vacancy (a stable order: scores change as matches are "
            "recomputed). For a conditional match, 'missing' lists the closable gaps: what you can act "
            "on (a Dutch course, a diploma recognition, a consent). Matches are recomputed after every "
            "change; a candidate's 'matches_current' says whether they are up to date. Matches removed "
            "since: GET /matches/removed/."
        ),
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(MatchFilterSerializer)
        if filters.get("updated_since") is not None:
            self.check_page_parameters()  # every 400 before the 410
            sync.require_removals_kept(filters["updated_since"])
        matches = selectors.matches_for_partner(
            organisation=self.organisation,
            candidate_id=filters.get("candidate"),
            vacancy_id=filters.get("vacancy"),
            outcome=filters.get("outcome"),
            min_score=filters.get("min_score"),
            updated_since=filters.get("updated_since"),
        )
        return self.paginated(matches, MatchSerializer)


class RemovedMatchListView(PartnerView):
    """Matches of your candidates that the matching removed since a moment."""

    required_scopes = {"GET": MATCHES_READ}
    pagination_class = SyncPagination
    problem_statuses = {"GET": ("410",)}  # updated_since older than the removals kept

    @extend_schema(
        tags=["Matches"],
        operation_id="matches_removed_list",
        parameters=[RemovedSinceSerializer],
        responses=RemovedMatchSerializer(many=True),
        summary="List the matches removed since a moment",
        description=(
            "Pairs (candidate, vacancy) whose match was removed since updated_since: the pair no longer "
            "matches, the candidate was withdrawn, the vacancy closed. Delete them from your copy. A "
            "pair matched again since is not listed (GET /matches/ shows it); a pair may be listed "
            "twice. Removals are kept for MATCH_REMOVAL_RETENTION_DAYS (30) days: an older "
            "updated_since is a 410, and you synchronise from scratch."
        ),
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(RemovedSinceSerializer)
        self.check_page_parameters()  # every 400 before the 410
        sync.require_removals_kept(filters["updated_since"])
        removals = selectors.matches_removed_for_partner(
            organisation=self.organisation, updated_since=filters["updated_since"]
        )
        return self.paginated(removals, RemovedMatchSerializer)
