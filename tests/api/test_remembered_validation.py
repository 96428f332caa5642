"""Strict input fields validate each distinct value once per serializer (issue 11: the bulk endpoint
validates a hundred profiles that repeat most of their values), without changing any answer."""

from typing import Any

import pytest
from rest_framework import serializers

from api.fields import StrictCharField, StrictIntegerField, StrictSerializer


class Counting:
    """A validator that counts its calls and refuses ``"bad"``."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, value: Any) -> None:
        self.calls += 1
        if value == "bad":
            raise serializers.ValidationError("bad value", code="bad")


class ContextCounting(Counting):
    requires_context = True

    def __call__(self, value: Any, field: Any) -> None:  # type: ignore[override]
        super().__call__(value)


def _item_serializer(validator: Any) -> StrictSerializer:
    class Item(StrictSerializer):
        code = StrictCharField(validators=[validator])
        level = StrictIntegerField(min_value=1, max_value=5)

    class Body(StrictSerializer):
        items = Item(many=True)

    return Body()


def test_a_repeated_value_is_checked_once_and_gives_the_same_answer() -> None:
    counting = Counting()
    body = _item_serializer(counting)
    value = body.run_validation({"items": [{"code": " nl ", "level": 2}] * 5 + [{"code": "fr", "level": 2}]})
    assert [dict(item) for item in value["items"]] == [{"code": "nl", "level": 2}] * 5 + [
        {"code": "fr", "level": 2}
    ]
    assert counting.calls == 2  # " nl " once, "fr" once


def test_a_refusal_is_not_remembered_and_is_said_for_every_item() -> None:
    counting = Counting()
    body = _item_serializer(counting)
    with pytest.raises(serializers.ValidationError) as raised:
        body.run_validation({"items": [{"code": "bad", "level": 9}, {"code": "bad", "level": 9}]})
    errors: Any = raised.value.detail["items"]  # type: ignore[call-overload]
    # DRF gives a list's errors by index.
    assert sorted(errors) == [0, 1] and all(sorted(errors[i]) == ["code", "level"] for i in (0, 1))
    assert [str(errors[i]["code"][0]) for i in (0, 1)] == ["bad value", "bad value"]
    assert counting.calls == 2


def test_the_type_is_part_of_the_value() -> None:
    """``True == 1``, but a boolean is not a whole number here."""
    body = _item_serializer(Counting())
    with pytest.raises(serializers.ValidationError) as raised:
        body.run_validation({"items": [{"code": "nl", "level": 1}, {"code": "nl", "level": True}]})
    errors: Any = raised.value.detail["items"]  # type: ignore[call-overload]
    assert list(errors) == [1] and list(errors[1]) == ["level"]


def test_a_validator_that_reads_the_context_runs_every_time() -> None:
    counting = ContextCounting()
    body = _item_serializer(counting)
    body.run_validation({"items": [{"code": "nl", "level": 2}] * 3})
    assert counting.calls == 3


def test_nothing_is_shared_between_two_serializers() -> None:
    counting = Counting()

    class Item(StrictSerializer):
        code = StrictCharField(validators=[counting])

    Item().run_validation({"code": "nl"})
    Item().run_validation({"code": "nl"})
    assert counting.calls == 2
