"""Candidates a partner registered: list, read, register, change, withdraw, and bulk upsert.

Every write goes through ``candidates.services``, which bumps the profile version and queues the match
recompute after commit; a write that changes nothing bumps nothing.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api.idempotency import idempotent
from api.problems import django_validation_errors, flatten_errors
from api.scopes import CANDIDATES_READ, CANDIDATES_WRITE
from api.serializers.candidates import (
    BULK_MAX_ITEMS,
    BulkEnvelopeSerializer,
    CandidateBulkInputSerializer,
    CandidateFilterSerializer,
    CandidateInputSerializer,
    CandidateSerializer,
    profile_from,
)
from api.serializers.common import BulkResultSerializer
from api.throttling import BulkRateThrottle, ClientRateThrottle
from api.views.base import PartnerView, service_errors
from candidates import selectors as candidate_selectors
from candidates import services as candidate_services
from candidates.models import Candidate

BULK_STATUSES = ("created", "updated", "unchanged", "error")
TAG = "Candidates"


def _location(candidate: Candidate) -> str:
    return reverse("api:candidate-detail", kwargs={"candidate_id": candidate.public_id})


class CandidateListView(PartnerView):
    """The candidates your organisation registered (active or placed; withdrawn ones are gone)."""

    required_scopes = {"GET": CANDIDATES_READ, "POST": CANDIDATES_WRITE}

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_list",
        parameters=[CandidateFilterSerializer],
        responses=CandidateSerializer(many=True),
        summary="List your candidates",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(CandidateFilterSerializer)
        candidates = candidate_selectors.candidates_for_partner(
            organisation=self.organisation,
            external_id=filters.get("external_id"),
            status=filters.get("status"),
            project_code=filters.get("project"),
            updated_since=filters.get("updated_since"),
        )
        return self.paginated(candidates, CandidateSerializer)

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_create",
        request=CandidateInputSerializer,
        responses={201: CandidateSerializer},
        summary="Register a candidate",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = CandidateInputSerializer(data=request.data, context=self.serializer_context())
        serializer.is_valid(raise_exception=True)
        with service_errors():
            candidate = candidate_services.candidate_create(
                registered_by=self.organisation, profile=profile_from(serializer.validated_data)
            )
        return self._created(candidate)

    def _created(self, candidate: Candidate) -> Response:
        fresh = candidate_selectors.candidate_for_partner(
            organisation=self.organisation, public_id=candidate.public_id
        )
        if fresh is None:
            raise NotFound(_("This candidate is no longer available."))
        data = CandidateSerializer(fresh, context=self.serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": _location(fresh)})

    def idempotency_snapshot(self, request: Request, response: Response) -> Any:
        return {"candidate": response.data["id"]}

    def idempotency_replay(self, request: Request, status_code: int, snapshot: Any) -> Response:
        candidate = Candidate(public_id=snapshot["candidate"])
        return self._created(candidate)


class CandidateDetailView(PartnerView):
    """One of your candidates, with languages, diplomas and recognition, experience, skills, licences,
    training progress and consents."""

    required_scopes = {
        "GET": CANDIDATES_READ,
        "PUT": CANDIDATES_WRITE,
        "PATCH": CANDIDATES_WRITE,
        "DELETE": CANDIDATES_WRITE,
    }

    def _candidate(self, candidate_id: Any) -> Candidate:
        candidate = candidate_selectors.candidate_for_partner(
            organisation=self.organisation, public_id=candidate_id
        )
        if candidate is None:
            raise NotFound(_("No candidate of yours has this id."))
        return candidate

    def _answer(self, candidate_id: Any) -> Response:
        data = CandidateSerializer(self._candidate(candidate_id), context=self.serializer_context()).data
        return Response(data)

    @extend_schema(tags=[TAG], operation_id="candidates_retrieve", responses=CandidateSerializer)
    def get(self, request: Request, candidate_id: Any) -> Response:
        return self._answer(candidate_id)

    def _update(self, request: Request, candidate_id: Any, *, partial: bool) -> Response:
        candidate = self._candidate(candidate_id)
        context = {**self.serializer_context(), "candidate_external_id": candidate.external_id}
        serializer = CandidateInputSerializer(data=request.data, partial=partial, context=context)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            candidate_services.candidate_update(
                candidate=candidate,
                profile=profile_from(serializer.validated_data),
                reset_missing=not partial,
            )
        return self._answer(candidate_id)

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_replace",
        request=CandidateInputSerializer,
        responses=CandidateSerializer,
        summary="Replace a candidate's profile",
        description="Fields left out go back to their defaults; nested lists left out stay as they are.",
    )
    def put(self, request: Request, candidate_id: Any) -> Response:
        return self._update(request, candidate_id, partial=False)

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_update",
        request=CandidateInputSerializer(partial=True),
        responses=CandidateSerializer,
        summary="Change some of a candidate's profile",
        description="Only the fields given change; a nested list given replaces the current one.",
    )
    def patch(self, request: Request, candidate_id: Any) -> Response:
        return self._update(request, candidate_id, partial=True)

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_withdraw",
        responses={204: OpenApiResponse(description="Withdrawn: hidden at once, matches removed.")},
        summary="Withdraw a candidate",
        description=(
            "A withdrawal request: the candidate is hidden from everyone at once (status withdrawn) and "
            "their matches disappear; nothing is erased. Afterwards the id answers 404."
        ),
    )
    def delete(self, request: Request, candidate_id: Any) -> Response:
        candidate_services.candidate_withdraw(candidate=self._candidate(candidate_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CandidateBulkView(PartnerView):
    """Create or replace up to 100 candidates by your own ``external_id``, each on its own."""

    required_scopes = {"POST": CANDIDATES_WRITE}
    throttle_classes = [ClientRateThrottle, BulkRateThrottle]

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_bulk_upsert",
        request=CandidateBulkInputSerializer,
        responses={200: BulkResultSerializer},
        summary="Create or replace candidates by external_id",
        description=(
            f"Up to {BULK_MAX_ITEMS} items. Each item is validated and written on its own, in its own "
            "transaction, like a PUT of that candidate (fields left out go back to their defaults, nested "
            "lists left out stay). The answer has one result per item, in order: created, updated, "
            "unchanged (nothing written, nothing recomputed) or error (with field errors; nothing of that "
            "item written). An item repeating an earlier external_id of the same request is an error."
        ),
    )
    @idempotent
    def post(self, request: Request) -> Response:
        envelope = BulkEnvelopeSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        seen: set[str] = set()
        results = [
            self._one(index, item, seen=seen) for index, item in enumerate(envelope.validated_data["items"])
        ]
        counts = {key: sum(1 for r in results if r["status"] == key) for key in BULK_STATUSES}
        return Response({"results": results, "summary": counts})

    def _one(self, index: int, item: Any, *, seen: set[str]) -> dict[str, Any]:
        given = item.get("external_id") if isinstance(item, dict) else None
        external_id = given if isinstance(given, str) else None
        result: dict[str, Any] = {"index": index, "external_id": external_id, "id": None, "errors": []}
        # The candidate this item replaces, if it exists: its consents may name whom it links us to.
        context = {**self.serializer_context(), "candidate_external_id": external_id}
        serializer = CandidateInputSerializer(data=item, context=context)
        if not serializer.is_valid():
            return {**result, "status": "error", "errors": flatten_errors(serializer.errors)}
        external_id = serializer.validated_data["external_id"]
        if external_id in seen:
            message = _("This external_id appears earlier in this request.")
            return {
                **result,
                "status": "error",
                "errors": [{"pointer": "#/external_id", "detail": message, "code": "duplicate"}],
            }
        seen.add(external_id)
        try:
            with transaction.atomic():
                candidate, change = candidate_services.candidate_upsert(
                    registered_by=self.organisation,
                    external_id=external_id,
                    profile=profile_from(serializer.validated_data),
                )
        except ValidationError as exc:
            return {**result, "status": "error", "errors": django_validation_errors(exc)}
        return {**result, "id": str(candidate.public_id), "status": change.value}

    def idempotency_snapshot(self, request: Request, response: Response) -> Any:
        return response.data  # ids, statuses and field errors: no personal data

    def idempotency_replay(self, request: Request, status_code: int, snapshot: Any) -> Response:
        return Response(snapshot, status=status_code)
