"""Page-number pagination with a capped page size and strict parameters.

``page`` must be a positive integer (otherwise 400) and name an existing page (otherwise 404);
``page_size`` must be a positive integer (otherwise 400) and is capped at ``MAX_PAGE_SIZE`` silently,
as the response's ``page_size`` shows.
"""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.problems import InvalidQueryParameters

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def _positive_int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise InvalidQueryParameters({name: [_("Enter a whole number of at least 1.")]})
    return int(raw)


class ApiPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        size = _positive_int(request, self.page_size_query_param)
        return min(size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        self.request = request
        page_size = self.get_page_size(request)
        number = _positive_int(request, self.page_query_param) or 1
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise NotFound(_("There is no page %(number)d.") % {"number": number}) from exc
        return list(self.page)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        return Response(
            {
                "count": self.page.paginator.count,
                "page": self.page.number,
                "page_size": self.page.paginator.per_page,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "page", "page_size", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": _("Page number, from 1."),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Items per page (default %(default)d, at most %(max)d).")
                % {"default": DEFAULT_PAGE_SIZE, "max": MAX_PAGE_SIZE},
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
