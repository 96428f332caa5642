"""Vacancies open to the partner's projects, and the matches of its candidates (read only)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api import selectors
from api.scopes import MATCHES_READ, VACANCIES_READ
from api.serializers.matches import MatchFilterSerializer, MatchSerializer
from api.serializers.vacancies import VacancyFilterSerializer, VacancySerializer
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

    @extend_schema(
        tags=["Vacancies"],
        operation_id="vacancies_list",
        parameters=[VacancyFilterSerializer],
        responses=VacancySerializer(many=True),
        summary="List the vacancies open to your projects",
        description=(
            "Published vacancies open to a project you take part in, newest first. A vacancy reaches you "
            "as soon as it is published. Shortage-list status and permit routes are evaluated today."
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
        )
        page = self.paginate_queryset(vacancies)
        assert page is not None
        return self.get_paginated_response(
            VacancySerializer(page, many=True, context=self.vacancy_answer(page)).data
        )


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

    @extend_schema(
        tags=["Matches"],
        operation_id="matches_list",
        parameters=[MatchFilterSerializer],
        responses=MatchSerializer(many=True),
        summary="List the matches of your candidates",
        description=(
            "Stored matches (eligible or conditional) of your candidates with vacancies open to your "
            "projects, best score first. For a conditional match, 'missing' lists the closable gaps: what "
            "you can act on (a Dutch course, a diploma recognition, a consent). Matches are recomputed "
            "after every change; a candidate's 'matches_current' says whether they are up to date."
        ),
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(MatchFilterSerializer)
        matches = selectors.matches_for_partner(
            organisation=self.organisation,
            candidate_id=filters.get("candidate"),
            vacancy_id=filters.get("vacancy"),
            outcome=filters.get("outcome"),
            min_score=filters.get("min_score"),
        )
        return self.paginated(matches, MatchSerializer)
