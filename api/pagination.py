"""Cursor pagination over a stable order: each page continues right after the last row of the one before.

A list's order is its queryset's ``order_by``: plain fields whose values, together, are unique (``pk``;
``candidate_id, vacancy_id`` for matches). A page is the rows after the cursor's key in that order, found
with a keyset condition an index serves: no OFFSET, no COUNT. Rows inserted, changed or deleted while a
client walks the pages never shift them, so a client following ``next`` sees each row that stayed
exactly once (a row added behind the cursor is for the next synchronisation: ``api.sync``).

The ``cursor`` is opaque to clients: base64url of a small JSON object with the last row's key and, on
lists that take ``updated_since``, the ``next_updated_since`` fixed on the walk's first page. A cursor
that does not decode, or does not fit the list, is a 400. A page may hold fewer rows than ``page_size``;
only a ``next`` of null says the list is done.

``page`` (page numbers, with ``count``) still works for clients written before cursors: the same order,
the former answer. It costs an OFFSET and a COUNT on every page, so docs/api.md marks it deprecated.
"""

import base64
import binascii
import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import InvalidPage
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api import sync
from api.problems import InvalidQueryParameters

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_CURSOR_LENGTH = 500  # a key of a few ids and a moment: far less
BIGINT = 2**63  # key values must fit PostgreSQL's bigint, or the query itself would fail
_FIELD_NAME = re.compile(r"-?[a-z_][a-z0-9_]*")


def _positive_int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or len(raw) > 9:
        raise InvalidQueryParameters({name: [_("Enter a whole number of at least 1.")]})
    return int(raw)


def page_size_of(request: Request) -> int:
    """``page_size``: a positive integer (else 400), capped at ``MAX_PAGE_SIZE`` without complaint."""
    return min(_positive_int(request, "page_size") or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


@dataclass(frozen=True)
class _Key:
    """One field of a list's order: its name, its direction, and the model field its values go to."""

    name: str
    descending: bool
    field: "models.Field[Any, Any]"

    def value_of(self, row: models.Model) -> Any:
        return row.pk if self.name == "pk" else getattr(row, self.name)

    def valid(self, value: Any) -> bool:
        """Whether a decoded value can be compared with this field in SQL without an error."""
        if isinstance(self.field, models.IntegerField | models.AutoField):
            return isinstance(value, int) and not isinstance(value, bool) and -BIGINT < value < BIGINT
        return isinstance(value, str) and len(value) <= 255


def _keys(queryset: QuerySet[Any]) -> list[_Key]:
    """The keyset of a list: its explicit ``order_by`` (a programming error if there is none)."""
    ordering = [o for o in queryset.query.order_by if isinstance(o, str) and _FIELD_NAME.fullmatch(o)]
    assert ordering and len(ordering) == len(queryset.query.order_by), (
        f"a cursor-paginated list needs an order_by of plain fields, not {queryset.query.order_by!r}"
    )
    opts = queryset.model._meta
    keys = []
    for entry in ordering:
        name = entry.removeprefix("-")
        field = opts.pk if name == "pk" else opts.get_field(name)
        if field.is_relation:  # ``candidate_id``: compared as the id it holds
            field = field.target_field
        keys.append(_Key(name, entry.startswith("-"), field))
    return keys


def _after(keys: list[_Key], values: Sequence[Any]) -> Q:
    """Rows after ``values`` in the order of ``keys``: (a, b) > (x, y) as ``a >= x AND (a > x OR (a = x
    AND b > y))``. The leading range is redundant, and what lets an index on ``a`` start at ``x``."""
    condition = Q()
    for position in reversed(range(len(keys))):
        key, value = keys[position], values[position]
        beyond = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
        condition = beyond if position == len(keys) - 1 else beyond | (Q(**{key.name: value}) & condition)
    if len(keys) == 1:
        return condition
    first = keys[0]
    return Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": values[0]}) & condition


@dataclass(frozen=True)
class Cursor:
    after: tuple[Any, ...]
    next_updated_since: datetime.datetime | None

    def encode(self) -> str:
        payload: dict[str, Any] = {"k": list(self.after)}
        if self.next_updated_since is not None:
            payload["s"] = self.next_updated_since.isoformat()
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_cursor() -> InvalidQueryParameters:
    return InvalidQueryParameters(
        {"cursor": [_("Not a cursor of this list: use the next link of its previous page as it is.")]}
    )


def _decode(raw: str) -> Cursor:
    """The cursor's content, checked for shape only (``_fits`` checks it against a list's keys)."""
    if len(raw) > MAX_CURSOR_LENGTH:
        raise _bad_cursor()
    try:
        payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError):
        raise _bad_cursor() from None
    values = payload.get("k") if isinstance(payload, dict) else None
    if not isinstance(values, list) or not values:
        raise _bad_cursor()
    since = payload.get("s")
    try:
        moment = parse_datetime(since) if isinstance(since, str) else None
        if moment is not None:
            moment.astimezone(datetime.UTC)  # a moment at the edge of the calendar overflows here
    except (ValueError, OverflowError):
        raise _bad_cursor() from None
    if since is not None and (moment is None or moment.tzinfo is None):
        raise _bad_cursor()
    return Cursor(tuple(values), moment)


def _fits(cursor: Cursor, keys: list[_Key]) -> Cursor:
    if len(cursor.after) != len(keys) or not all(
        key.valid(value) for key, value in zip(keys, cursor.after, strict=True)
    ):
        raise _bad_cursor()
    return cursor


class _PageNumbers(PageNumberPagination):
    """The former answer, for clients that send ``page``: ``page`` must be a positive integer (else 400)
    and name an existing page (else 404)."""

    page_size_query_param = "page_size"

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        self.request = request
        number = _positive_int(request, self.page_query_param) or 1
        paginator = self.django_paginator_class(queryset, page_size_of(request))
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


class ApiPagination(BasePagination):
    """Pages of a list by ``cursor`` (or, deprecated, by ``page``); see the module docstring."""

    cursor_query_param = "cursor"
    page_query_param = "page"
    page_size_query_param = "page_size"
    # Lists that take ``updated_since`` answer when to ask from next time (``SyncPagination``).
    proposes_next_updated_since = False

    def check_parameters(self, request: Request) -> None:
        """A 400 for a bad ``page_size``, ``page`` or ``cursor`` (the shape of it): a view that may answer
        another error about valid parameters (a 410) checks them first."""
        page_size_of(request)
        _positive_int(request, self.page_query_param)
        raw = request.query_params.get(self.cursor_query_param)
        if raw:
            _decode(raw)

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        assert isinstance(queryset, QuerySet)
        self.request = request
        self.page_size = page_size_of(request)
        self.page_numbers: _PageNumbers | None = None
        if request.query_params.get(self.page_query_param) is not None:
            self.page_numbers = _PageNumbers()
            return self.page_numbers.paginate_queryset(queryset, request, view)
        keys = _keys(queryset)
        raw = request.query_params.get(self.cursor_query_param)
        cursor = _fits(_decode(raw), keys) if raw else None
        if cursor is not None:
            queryset = queryset.filter(_after(keys, cursor.after))
        since = cursor.next_updated_since if cursor is not None else None
        if since is None and self.proposes_next_updated_since:
            since = sync.next_updated_since()  # fixed now, for every page of this walk
        self.next_updated_since = since
        rows = list(queryset[: self.page_size + 1])  # one more than shown: is there a next page?
        self.next_cursor = (
            Cursor(tuple(key.value_of(rows[self.page_size - 1]) for key in keys), since)
            if len(rows) > self.page_size
            else None
        )
        return rows[: self.page_size]

    def get_next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor.encode())

    def get_paginated_response(self, data: Any) -> Response:
        if self.page_numbers is not None:
            return self.page_numbers.get_paginated_response(data)
        body: dict[str, Any] = {"next": self.get_next_link(), "page_size": self.page_size}
        if self.next_updated_since is not None:
            body["next_updated_since"] = sync.as_text(self.next_updated_since)
        return Response({**body, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        legacy = _("Only when you ask by page number (deprecated).")
        properties: dict[str, Any] = {
            "next": {
                "type": "string",
                "format": "uri",
                "nullable": True,
                "description": _("The next page, as it is; null on the last page."),
            },
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        }
        if self.proposes_next_updated_since:
            properties["next_updated_since"] = {
                "type": "string",
                "format": "date-time",
                "description": _(
                    "Pass this as updated_since when you next synchronise: the same on every page of "
                    "a walk, a few minutes before its first page (rows committed late are not missed)."
                ),
            }
        properties |= {
            "count": {"type": "integer", "minimum": 0, "description": legacy},
            "page": {"type": "integer", "minimum": 1, "description": legacy},
            "previous": {"type": "string", "format": "uri", "nullable": True, "description": legacy},
            "results": schema,
        }
        return {"type": "object", "required": ["next", "page_size", "results"], "properties": properties}

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _("Where the page starts: take it from the previous page's next link."),
                "schema": {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Items per page (default %(default)d, at most %(max)d).")
                % {"default": DEFAULT_PAGE_SIZE, "max": MAX_PAGE_SIZE},
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "deprecated": True,
                "description": _(
                    "Page number, from 1: the former paging, with count (an OFFSET and a COUNT on every "
                    "page). Use cursor."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


class SyncPagination(ApiPagination):
    """Pages of a list that takes ``updated_since``: each answer also says ``next_updated_since``."""

    proposes_next_updated_since = True
