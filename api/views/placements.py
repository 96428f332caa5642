"""Placements of the partner's candidates (read only): where each case stands, and how it got there."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api import selectors
from api.pagination import SyncPagination
from api.scopes import PLACEMENTS_READ
from api.serializers.placements import PlacementFilterSerializer, PlacementSerializer
from api.views.base import PartnerView

TAG = "Placements"


class PlacementListView(PartnerView):
    """Cases of your candidates, in the order they were opened."""

    required_scopes = {"GET": PLACEMENTS_READ}
    pagination_class = SyncPagination

    @extend_schema(
        tags=[TAG],
        operation_id="placements_list",
        parameters=[PlacementFilterSerializer],
        responses=PlacementSerializer(many=True),
        summary="List the placements of your candidates",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(PlacementFilterSerializer)
        placements = selectors.placements_for_partner(
            organisation=self.organisation,
            candidate_id=filters.get("candidate"),
            vacancy_id=filters.get("vacancy"),
            stage=filters.get("stage"),
            # ``changed_since`` is the former name (without a time zone required).
            changed_since=filters.get("updated_since") or filters.get("changed_since"),
        )
        return self.paginated(placements, PlacementSerializer)


class PlacementDetailView(PartnerView):
    """One case of one of your candidates, with every move: stages, dates and reason codes."""

    required_scopes = {"GET": PLACEMENTS_READ}

    @extend_schema(tags=[TAG], operation_id="placements_retrieve", responses=PlacementSerializer)
    def get(self, request: Request, placement_id: Any) -> Response:
        placement = (
            selectors.placements_for_partner(organisation=self.organisation)
            .filter(public_id=placement_id)
            .first()
        )
        if placement is None:
            raise NotFound(_("No placement of your candidates has this id."))
        return Response(PlacementSerializer(placement, context=self.serializer_context()).data)
