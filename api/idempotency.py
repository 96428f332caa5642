"""``Idempotency-Key`` on POST (draft-ietf-httpapi-idempotency-key-header).

With the header, the first request runs and its successful answer is remembered for 24 hours per
client and key. The same key with the same request (method, path and JSON body, compared canonically)
gets that answer again, marked ``Idempotent-Replayed: true``, without running again. The same key with
a different request is a 422; while the first one still runs, a 409. A request that fails is forgotten,
so a corrected retry may reuse the key.

What is remembered is a reference to what was written (``snapshot``), never the personal data in the
answer; a replay re-reads it (``replay``). A view opts in with ``@idempotent`` and may override both.
"""

import functools
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, Protocol, cast

from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from api.problems import InvalidHeader
from api.services import idempotency_begin, idempotency_finish, idempotency_release

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEY_PATTERN = re.compile(rf"[!-~]{{1,{MAX_KEY_LENGTH}}}")  # visible ASCII, no spaces


class IdempotentView(Protocol):
    def idempotency_snapshot(self, request: Request, response: Response) -> Any: ...

    def idempotency_replay(self, request: Request, status_code: int, snapshot: Any) -> Response: ...


def fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{request.method}\n{request.path}\n{body}".encode()).hexdigest()


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise InvalidHeader(
            HEADER, _("Use 1 to %(max)d visible ASCII characters, e.g. a UUID.") % {"max": MAX_KEY_LENGTH}
        )
    return key


Handler = Callable[..., Response]


def idempotent(handler: Handler) -> Handler:
    @functools.wraps(handler)
    def wrapper(view: IdempotentView, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = _key(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        record, replay = idempotency_begin(
            application=cast(Any, request.auth).application, key=key, fingerprint=fingerprint(request)
        )
        if replay:
            assert record.status_code is not None
            response = view.idempotency_replay(request, record.status_code, record.response)
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            response = handler(view, request, *args, **kwargs)
        except BaseException:
            idempotency_release(record=record)
            raise
        if 200 <= response.status_code < 300:
            idempotency_finish(
                record=record,
                status_code=response.status_code,
                response=view.idempotency_snapshot(request, response),
            )
        else:
            idempotency_release(record=record)
        return response

    wrapper.honours_idempotency_key = True  # type: ignore[attr-defined]  # read by api.schema
    return wrapper
