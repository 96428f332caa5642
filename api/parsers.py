"""The only request body the API reads: strict JSON, bounded in size and nesting.

DRF's JSON parser reads the stream without Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` check and lets
Python's ``json`` recurse as deep as the body nests (a ``RecursionError``, so a 500, past about a
thousand levels). This one refuses, each with a 4xx problem and before anything is written:

- a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), judged by ``Content-Length`` or by reading one
  byte more than the limit;
- bytes that are not UTF-8 (400);
- nesting deeper than ``MAX_DEPTH`` (400), found by a linear scan before ``json.loads`` runs;
- ``NaN``/``Infinity`` and duplicate keys (400): both are ambiguous, and a duplicate key could hide a
  value from a reviewer reading the body;
- a NUL character or a lone surrogate (``"\\u0000"``, ``"\\ud800"``) in any string (400): PostgreSQL
  cannot store or even compare them, so a lookup with one would fail in the database (a 500).
"""

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from api.problems import PayloadTooLarge

MAX_DEPTH = 20

# Outside strings only brackets matter; a backslash escape is consumed whole so an escaped quote
# never toggles the string state.
_STRUCTURE = re.compile(r'\\.|"|[\[\]{}]', re.DOTALL)


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    depth = 0
    in_string = False
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token[0] == "\\":
            continue
        if token == '"':
            in_string = not in_string
        elif not in_string:
            depth += 1 if token in "[{" else -1
            if depth > limit:
                raise ParseError(_("The JSON body nests deeper than %(limit)d levels.") % {"limit": limit})


def _no_constants(name: str) -> None:
    raise ParseError(_("%(name)s is not valid JSON.") % {"name": name})


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ParseError(_("The key %(key)s appears twice in one object.") % {"key": json.dumps(key)})
        result[key] = value
    return result


def read_limited(stream: IO[bytes] | None, content_length: str | None) -> bytes:
    """The body, or ``PayloadTooLarge`` once it passes ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and content_length and content_length.isdigit() and int(content_length) > limit:
        raise PayloadTooLarge(_("The body may hold at most %(limit)d bytes.") % {"limit": limit})
    if stream is None:
        return b""
    data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise PayloadTooLarge(_("The body may hold at most %(limit)d bytes.") % {"limit": limit})
    return data


def check_strings(value: Any) -> None:
    """No NUL character and no lone surrogate in any string or key of a parsed body."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise ParseError(_("A string holds a NUL character."))
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ParseError(_("A string holds an unpaired surrogate (not valid Unicode).")) from exc
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(_("The body is not valid UTF-8.")) from exc
    check_depth(text)
    try:
        value = json.loads(text, parse_constant=_no_constants, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        # Python's own message is English whatever the client asked for: say where, in its language.
        raise ParseError(
            _("The body is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": exc.lineno, "column": exc.colno}
        ) from exc
    except ValueError as exc:  # a number of more than 4,300 digits, say
        raise ParseError(_("The body is not valid JSON.")) from exc
    except RecursionError as exc:  # unreachable after check_depth; never a 500
        raise ParseError(_("The JSON body nests too deeply.")) from exc
    check_strings(value)
    return value


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        request = (parser_context or {}).get("request")
        content_length = request.META.get("CONTENT_LENGTH") if request is not None else None
        charset = (media_type or "").partition("charset=")[2].strip().strip('"').lower()
        if charset and charset not in ("utf-8", "utf8"):
            raise ParseError(_("Only UTF-8 is accepted."))
        raw = read_limited(stream, content_length)
        if not raw.strip():
            raise ParseError(_("The body is empty."))
        return parse_json(raw)
