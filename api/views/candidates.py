"""Candidates a partner registered: list, read, register, change, withdraw, and bulk upsert; and those
that left its view.

Every write goes through ``candidates.services``, which bumps the profile version and queues the match
recompute after commit; a write that changes nothing bumps nothing. The profile version is the ETag of
a candidate's answers, and ``If-Match`` on a write refuses to overwrite a change not seen
(``api.preconditions``).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api import selectors
from api.idempotency import idempotent
from api.pagination import SyncPagination
from api.preconditions import IF_MATCH, candidate_etag, candidate_unchanged_since_read
from api.problems import django_validation_errors, flatten_errors
from api.scopes import CANDIDATES_READ, CANDIDATES_WRITE
from api.serializers.candidates import (
    BULK_MAX_ITEMS,
    BulkEnvelopeSerializer,
    CandidateBulkInputSerializer,
    CandidateFilterSerializer,
    CandidateInputSerializer,
    CandidateSerializer,
    RemovedCandidateSerializer,
    profile_from,
)
from api.serializers.common import BulkResultSerializer, RemovedSinceSerializer
from api.serializers.references import References
from api.throttling import BulkRateThrottle, ClientRateThrottle
from api.views.base import PartnerView, service_errors
from candidates import selectors as candidate_selectors
from candidates import services as candidate_services
from candidates.models import Candidate, ProfileAccess
from candidates.services import ProfileInput, profile_access_record
from core.models import Organisation

BULK_STATUSES = ("created", "updated", "unchanged", "error")
TAG = "Candidates"


def _etag_header(*statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=list(statuses),
        description="The candidate's version: send it back in If-Match with a change.",
    )


IF_MATCH_PARAMETER = OpenApiParameter(
    IF_MATCH,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The ETag you read (recommended): the change is refused with a 412, and nothing written, if the "
        "candidate changed since."
    ),
)


def _location(candidate: Candidate) -> str:
    return reverse("api:candidate-detail", kwargs={"candidate_id": candidate.public_id})


def _with_etag(response: Response, candidate: Candidate) -> Response:
    response["ETag"] = candidate_etag(candidate.profile_version)
    return response


def _record_views(organisation: Organisation, candidate_ids: list[int]) -> None:
    """Log the full profiles a read shows in each candidate's access log (one INSERT, even for a page):
    the partner's OAuth2 client acts for the organisation, so no user is named. Reads only: the answers
    to the partner's own writes are not views."""
    profile_access_record(
        candidate_ids=candidate_ids,
        kind=ProfileAccess.Kind.PARTNER_API,
        what=ProfileAccess.What.API_CANDIDATE,
        organisation_id=organisation.pk,
    )


class CandidateListView(PartnerView):
    """The candidates your organisation registered (active or placed; withdrawn ones are gone)."""

    required_scopes = {"GET": CANDIDATES_READ, "POST": CANDIDATES_WRITE}
    pagination_class = SyncPagination

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_list",
        parameters=[CandidateFilterSerializer],
        responses=CandidateSerializer(many=True),
        summary="List your candidates",
        description=(
            "The candidates your organisation registered (active or placed), in the order they were "
            "registered. Withdrawn, restricted or erased ones: GET /candidates/removed/."
        ),
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
        # Every candidate of the page is shown in full: each gets one row in its access log, in one INSERT.
        # Without the selector's prefetches: the list serializer reads the profiles as plain rows.
        page = self.paginate_queryset(candidates.prefetch_related(None).order_by("pk"))
        assert page is not None
        _record_views(self.organisation, [candidate.pk for candidate in page])
        data = CandidateSerializer(page, many=True, context=self.serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_create",
        request=CandidateInputSerializer,
        parameters=[_etag_header(201)],
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
        response = Response(data, status=status.HTTP_201_CREATED, headers={"Location": _location(fresh)})
        return _with_etag(response, fresh)

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
    # If-Match: unreadable (400) or naming another version (412).
    problem_statuses = {"PUT": ("412",), "PATCH": ("412",), "DELETE": ("400", "412")}

    def _candidate(self, candidate_id: Any) -> Candidate:
        candidate = candidate_selectors.candidate_for_partner(
            organisation=self.organisation, public_id=candidate_id
        )
        if candidate is None:
            raise NotFound(_("No candidate of yours has this id."))
        return candidate

    def _answer(self, candidate_id: Any) -> Response:
        candidate = self._candidate(candidate_id)
        data = CandidateSerializer(candidate, context=self.serializer_context()).data
        return _with_etag(Response(data), candidate)

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_retrieve",
        parameters=[_etag_header(200)],
        responses=CandidateSerializer,
    )
    def get(self, request: Request, candidate_id: Any) -> Response:
        candidate = self._candidate(candidate_id)
        _record_views(self.organisation, [candidate.pk])
        data = CandidateSerializer(candidate, context=self.serializer_context()).data
        return _with_etag(Response(data), candidate)

    def _update(self, request: Request, candidate_id: Any, *, partial: bool) -> Response:
        candidate = self._candidate(candidate_id)
        context = {**self.serializer_context(), "candidate_external_id": candidate.external_id}
        serializer = CandidateInputSerializer(data=request.data, partial=partial, context=context)
        serializer.is_valid(raise_exception=True)  # a body of the wrong shape is a 400, whatever If-Match
        with candidate_unchanged_since_read(request, candidate):
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
        parameters=[IF_MATCH_PARAMETER, _etag_header(200)],
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
        parameters=[IF_MATCH_PARAMETER, _etag_header(200)],
        responses=CandidateSerializer,
        summary="Change some of a candidate's profile",
        description="Only the fields given change; a nested list given replaces the current one.",
    )
    def patch(self, request: Request, candidate_id: Any) -> Response:
        return self._update(request, candidate_id, partial=True)

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_withdraw",
        parameters=[IF_MATCH_PARAMETER],
        responses={204: OpenApiResponse(description="Withdrawn: hidden at once, matches removed.")},
        summary="Withdraw a candidate",
        description=(
            "A withdrawal request: the candidate is hidden from everyone at once (status withdrawn) and "
            "their matches disappear; nothing is erased. Afterwards the id answers 404."
        ),
    )
    def delete(self, request: Request, candidate_id: Any) -> Response:
        candidate = self._candidate(candidate_id)
        with candidate_unchanged_since_read(request, candidate):
            candidate_services.candidate_withdraw(candidate=candidate)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RemovedCandidateListView(PartnerView):
    """Candidates of yours that left your view since a moment: withdrawn, restricted or erased."""

    required_scopes = {"GET": CANDIDATES_READ}
    pagination_class = SyncPagination

    @extend_schema(
        tags=[TAG],
        operation_id="candidates_removed_list",
        parameters=[RemovedSinceSerializer],
        responses=RemovedCandidateSerializer(many=True),
        summary="List your candidates withdrawn, restricted or erased since a moment",
        description=(
            "For a copy kept in sync: delete these candidates (and their matches and placements) from "
            "it. Their ids answer 404 elsewhere. A restricted candidate (GDPR art. 18: their data is kept "
            "but may not be processed) comes back in GET /candidates/ when the restriction is lifted, "
            "with a new updated_at."
        ),
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(RemovedSinceSerializer)
        candidates = selectors.candidates_removed_for_partner(
            organisation=self.organisation, updated_since=filters["updated_since"]
        )
        return self.paginated(candidates, RemovedCandidateSerializer)


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
        items = envelope.validated_data["items"]
        # One input serializer for every item: DRF builds a model serializer's fields (and its nested
        # ones) each time it is created, which cost more than the rest of a request. Every reference of
        # every item is read ahead, one query per kind, and the fields take them from there.
        context = self.serializer_context()
        validator = CandidateInputSerializer(context=context)
        context["references"] = References.resolve(validator, items)
        results: list[dict[str, Any]] = []
        accepted: list[tuple[dict[str, Any], str, ProfileInput]] = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            result, valid = self._validated(index, item, validator, context, seen=seen)
            results.append(result)
            if valid is not None:
                accepted.append((result, *valid))
        # All valid items written together, each on its own (``candidates_upsert``): one outcome each.
        outcomes = candidate_services.candidates_upsert(
            registered_by=self.organisation,
            items=[(external_id, profile) for _result, external_id, profile in accepted],
        )
        for (result, _external_id, _profile), outcome in zip(accepted, outcomes, strict=True):
            if isinstance(outcome, ValidationError):
                result.update(status="error", errors=django_validation_errors(outcome))
            else:
                candidate, change = outcome
                result.update(id=str(candidate.public_id), status=change.value)
        counts = {key: sum(1 for r in results if r["status"] == key) for key in BULK_STATUSES}
        return Response({"results": results, "summary": counts})

    def _validated(
        self,
        index: int,
        item: Any,
        validator: CandidateInputSerializer,
        context: dict[str, Any],
        *,
        seen: set[str],
    ) -> tuple[dict[str, Any], tuple[str, ProfileInput] | None]:
        """The item's result so far (an error, or still to be written) and, when it is valid, its
        external id and profile. ``validator`` validates it as ``is_valid`` would, with ``context``
        (its own context object) naming the item's candidate."""
        given = item.get("external_id") if isinstance(item, dict) else None
        external_id = given if isinstance(given, str) else None
        result: dict[str, Any] = {"index": index, "external_id": external_id, "id": None, "errors": []}
        # The candidate this item replaces, if it exists: its consents may name whom it links us to.
        context["candidate_external_id"] = external_id
        try:
            validated = validator.run_validation(item)
        except DRFValidationError as exc:
            return {**result, "status": "error", "errors": flatten_errors(exc.detail)}, None
        external_id = validated["external_id"]
        if external_id in seen:
            message = _("This external_id appears earlier in this request.")
            return {
                **result,
                "status": "error",
                "errors": [{"pointer": "#/external_id", "detail": message, "code": "duplicate"}],
            }, None
        seen.add(external_id)
        return result, (external_id, profile_from(validated))

    def idempotency_snapshot(self, request: Request, response: Response) -> Any:
        return response.data  # ids, statuses and field errors: no personal data

    def idempotency_replay(self, request: Request, status_code: int, snapshot: Any) -> Response:
        return Response(snapshot, status=status_code)
