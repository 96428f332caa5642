"""The JSON parser's checks, made cheap for the bulk endpoint (issue 11), refuse exactly what the linear
text scan before ``json.loads`` refused, with the same message, and read everything else the same.

``reference_parse`` is the parser as it was: depth scanned in the text first, duplicate keys found key by
key, every string walked. The parser now checks depth and strings on the parsed value (the text scan
only for a body that does not parse) and walks strings only after a suspect ``\\u`` escape.
"""

import json
import re
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError

from api.parsers import MAX_DEPTH, check_depth, check_strings, parse_json


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ParseError(f"The key {json.dumps(key)} appears twice in one object.")
        result[key] = value
    return result


def _no_constants(name: str) -> None:
    raise ParseError(f"{name} is not valid JSON.")


def reference_parse(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError("The body is not valid UTF-8.") from exc
    check_depth(text)
    try:
        value = json.loads(text, parse_constant=_no_constants, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ParseError(f"The body is not valid JSON (line {exc.lineno}, column {exc.colno}).") from exc
    except ValueError as exc:
        raise ParseError("The body is not valid JSON.") from exc
    except RecursionError as exc:
        raise ParseError("The JSON body nests too deeply.") from exc
    check_strings(value)
    return value


def outcome(parse: Any, raw: bytes) -> tuple[str, Any]:
    with translation.override("en"):  # the reference's messages are the English ones
        try:
            return "value", parse(raw)
        except ParseError as exc:
            return "error", str(exc.detail)


def nested(depth: int, inner: str = "1") -> str:
    text = inner
    for level in range(depth):
        text = f'{{"k{level}": {text}}}' if level % 2 else f"[{text}]"
    return text


BODIES = [
    '{"a": 1, "b": [true, false, null, "x"]}',
    nested(MAX_DEPTH),
    nested(MAX_DEPTH + 1),
    nested(MAX_DEPTH + 1, "NaN"),  # too deep and not JSON: too deep is said first
    nested(MAX_DEPTH + 1, '{"a": 1, "a": 2}'),  # too deep and a duplicate key
    nested(MAX_DEPTH + 1, '"\\u0000"'),  # too deep and a NUL
    nested(MAX_DEPTH, '"\\u0000"'),
    nested(MAX_DEPTH + 1, "1,"),  # too deep and truncated
    "[" * 5000 + "]" * 5000,  # beyond json's own recursion limit
    "[" * 25 + "]" * 24,  # too deep, unbalanced
    '"[[[[[[[[[[[[[[[[[[[[[[[[["',  # brackets inside a string count for nothing
    '["\\"[[[[[[[[[[[[[[[[[[[[[[[[[["]',  # nor after an escaped quote
    '{"a": 1, "b": {"c": 1, "c": 2}}',
    '{"a": {"x": 1}, "a": {"x": 1}}',
    '{"a": NaN}',
    '{"a": -Infinity}',
    '{"a": 1',
    '{"a": "\\u0000"}',
    '{"a\\u0000": 1}',
    '{"a": "\\ud800"}',
    '{"a": "\\uDC00x"}',
    '{"\\udbff": 1}',
    '{"a": "\\ud83d\\ude00"}',  # a surrogate pair is one valid character
    '{"a": "\\\\u0000"}',  # an escaped backslash, then the text u0000: valid
    '{"a": "\\u00e9\\u0041"}',
    "1" + "0" * 5000,  # past the digits Python converts
    "",
    "  ",
]


@pytest.mark.parametrize("text", BODIES, ids=range(len(BODIES)))
def test_the_same_answer_as_the_text_scan(text: str) -> None:
    raw = text.encode()
    assert outcome(parse_json, raw) == outcome(reference_parse, raw)


def test_invalid_utf8_is_refused_as_before() -> None:
    assert outcome(parse_json, b'{"a": "\xff"}') == outcome(reference_parse, b'{"a": "\xff"}')


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=30,
)
_PIECES = ["[", "]", "{", "}", '"', ":", ",", "\\", "\\u0000", "\\ud800", "NaN", "1", '"a"', " "]


@settings(max_examples=300, deadline=None)
@given(
    value=_JSON,
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(_PIECES)), max_size=3),
    repeat_a_key=st.booleans(),
)
def test_any_body_valid_or_broken_gets_the_same_answer(
    value: Any, edits: list[tuple[int, str]], repeat_a_key: bool
) -> None:
    text = json.dumps(value)
    if repeat_a_key:  # the duplicate check must find the same key first
        text = re.sub(r'\{"(\w*)": ', r'{"\1": 0, "\1": ', text, count=1)
    for position, piece in edits:
        position %= len(text) + 1
        text = text[:position] + piece + text[position:]
    raw = text.encode("utf-8", "surrogatepass")
    assert outcome(parse_json, raw) == outcome(reference_parse, raw)


@settings(max_examples=100, deadline=None)
@given(depth=st.integers(0, 40), inner=st.sampled_from(["1", "[]", "{}", '"x"', '{"a": [1, {"b": 2}]}']))
def test_depth_is_counted_as_the_text_scan_counts_it(depth: int, inner: str) -> None:
    raw = nested(depth, inner).encode()
    assert outcome(parse_json, raw) == outcome(reference_parse, raw)
