"""The only request body the API reads: strict JSON, bounded in size and nesting.

DRF's JSON parser reads the stream without Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` check and lets
Python's ``json`` recurse as deep as the body nests (a ``RecursionError``, so a 500, past about a
thousand levels). This one refuses, each with a 4xx problem and before anything is written:

- a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), judged by ``Content-Length`` or by reading one
  byte more than the limit;
- bytes that are not UTF-8 (400);
- nesting deeper than ``MAX_DEPTH`` (400), whatever else is wrong with the body;
- ``NaN``/``Infinity`` and duplicate keys (400): both are ambiguous, and a duplicate key could hide a
  value from a reviewer reading the body;
- a NUL character or a lone surrogate (``"\\u0000"``, ``"\\ud800"``) in any string (400): PostgreSQL
  cannot store or even compare them, so a lookup with one would fail in the database (a 500).

The bulk endpoint reads 100 profiles (a quarter of a megabyte) per request, so the checks cost what
parsing costs, not more: duplicate keys are found by comparing lengths inside the one ``json.loads``
pass, the depth and the strings are checked on the parsed value (the linear text scan runs only for a
body that does not parse, so that nesting is still the first thing refused), and strings are walked
only when the body holds a ``\\u`` escape that could have produced a NUL or a surrogate.
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
# A NUL or a lone surrogate can only come from one of these escapes: ``json.loads`` refuses raw control
# characters in strings, and UTF-8 decoding refuses an encoded surrogate. (An escaped backslash before
# "u0000" matches too: then the strings are walked for nothing, which is only slower.)
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse ``text`` nesting deeper than ``limit``, whether or not it is valid JSON."""
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


def check_parsed_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """``check_depth`` for a value ``json.loads`` returned: the same count (arrays and objects inside one
    another), level by level, without reading the text again."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            raise ParseError(_("The JSON body nests deeper than %(limit)d levels.") % {"limit": limit})
        inner: list[Any] = []
        for item in level:
            children = item.values() if isinstance(item, dict) else item
            inner.extend(child for child in children if isinstance(child, dict | list))
        level = inner


def _no_constants(name: str) -> None:
    raise ParseError(_("%(name)s is not valid JSON.") % {"name": name})


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C; a repeated key leaves the dict shorter than the list
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise ParseError(_("The key %(key)s appears twice in one object.") % {"key": json.dumps(key)})
            seen.add(key)
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
    try:
        value = json.loads(text, parse_constant=_no_constants, object_pairs_hook=_no_duplicate_keys)
    except ParseError:  # NaN, Infinity or a duplicate key
        check_depth(text)  # too deep is said first, whatever else is wrong
        raise
    except (ValueError, RecursionError) as exc:
        check_depth(text)
        raise _unreadable(exc) from exc
    check_parsed_depth(value)
    if _SUSPECT_ESCAPE.search(text):
        check_strings(value)
    return value


def _unreadable(exc: ValueError | RecursionError) -> ParseError:
    if isinstance(exc, json.JSONDecodeError):
        # Python's own message is English whatever the client asked for: say where, in its language.
        return ParseError(
            _("The body is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": exc.lineno, "column": exc.colno}
        )
    if isinstance(exc, RecursionError):  # unreachable after check_depth; never a 500
        return ParseError(_("The JSON body nests too deeply."))
    return ParseError(_("The body is not valid JSON."))  # a number of more than 4,300 digits, say


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
