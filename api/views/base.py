"""What every partner API view shares: the caller's organisation, filters, pages, service errors."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from api.pagination import ApiPagination
from api.problems import Conflict, FieldErrors, InvalidQueryParameters, django_validation_errors
from api.throttling import rate_limit_headers
from core.models import Organisation, User


# The base of every partner endpoint (no docstring: the OpenAPI description of an operation comes from
# its own view). ``required_scopes``: method -> the OAuth2 scope it needs; ``problem_statuses``: method ->
# the error statuses it may answer besides those every operation documents (``api.schema``).
class PartnerView(GenericAPIView):
    required_scopes: dict[str, str] = {}
    problem_statuses: dict[str, tuple[str, ...]] = {}
    pagination_class = ApiPagination
    # No OPTIONS: the OpenAPI schema describes the API, so ``Allow`` lists only what answers.
    http_method_names = ["get", "post", "put", "patch", "delete", "head"]

    def get_throttles(self) -> list[BaseThrottle]:
        self.counted_by = super().get_throttles()  # kept for the RateLimit fields of the answer
        return self.counted_by

    def check_permissions(self, request: Request) -> None:
        # Rate limits before scopes (DRF has them the other way round): a request refused for its scope
        # or its organisation counts too, and its answer carries the RateLimit fields like any other.
        super().check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request: Request) -> None:
        """Done by ``check_permissions``, before the scope is checked."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in rate_limit_headers(getattr(self, "counted_by", [])).items():
            response[name] = value
        return response

    @property
    def organisation(self) -> Organisation:
        user = self.request.user
        assert isinstance(user, User) and user.organisation is not None  # the authentication guarantees it
        organisation: Organisation = user.organisation
        return organisation

    def serializer_context(self) -> dict[str, Any]:
        return {"request": self.request, "view": self, "organisation": self.organisation}

    def filters(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """Validated query parameters (unknown ones are ignored: a filter naming another organisation
        has nothing to act on), or a 400 naming each bad parameter."""
        params = self.request.query_params
        names: list[str] = list(serializer_class().fields.keys())
        data = {name: params.get(name) for name in names if name in params}
        serializer = serializer_class(data=data)
        if not serializer.is_valid():
            raise InvalidQueryParameters(serializer.errors)
        return dict(serializer.validated_data)

    def check_page_parameters(self) -> None:
        """A 400 now for a bad page parameter, before a view answers another error about valid ones."""
        paginator = self.paginator
        assert isinstance(paginator, ApiPagination)
        paginator.check_parameters(self.request)

    def paginated(
        self, queryset: QuerySet[Any], serializer_class: type[serializers.BaseSerializer]
    ) -> Response:
        page = self.paginate_queryset(queryset)
        assert page is not None
        data = serializer_class(page, many=True, context=self.serializer_context()).data
        return self.get_paginated_response(data)


@contextmanager
def service_errors(conflict_codes: tuple[str, ...] = ()) -> Iterator[None]:
    """A service's ``ValidationError`` as a 400 with field pointers; a taken ``external_id`` (or an error
    with one of ``conflict_codes``) as a 409."""
    try:
        yield
    except ValidationError as exc:
        errors = django_validation_errors(exc)
        codes = getattr(exc, "error_dict", {}).get("external_id", [])
        if any(e.code == "unique" for e in codes) or any(e["code"] in conflict_codes for e in errors):
            raise Conflict(errors[0]["detail"], errors=errors) from exc
        raise FieldErrors(errors) from exc
