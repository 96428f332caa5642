"""``StrictSerializer`` validates as DRF's ``Serializer`` does (issue 11: it works out its fields' steps
once, not for every object): the same values, the same errors, ``validate_<name>`` methods and
serializer validators still run. Each case is checked against DRF's own ``Serializer``."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from api.fields import StrictCharField, StrictIntegerField, StrictSerializer


def _body_refusing_blank_pairs(value: dict[str, Any]) -> None:
    if value.get("code") == "pair" and value.get("level") == 2:
        raise serializers.ValidationError("no pairs", code="pair")


def _serializers() -> tuple[type[serializers.Serializer], type[serializers.Serializer]]:
    """The same serializer on DRF's base and on ``StrictSerializer``."""

    def build(base: type[serializers.Serializer]) -> type[serializers.Serializer]:
        class Item(base):  # type: ignore[valid-type, misc]
            code = StrictCharField(max_length=4)
            level = StrictIntegerField(min_value=1, max_value=5, required=False)
            note = StrictCharField(source="remark", required=False, allow_blank=True)

            class Meta:
                validators = [_body_refusing_blank_pairs]

            def validate_code(self, value: str) -> str:
                if value == "nope":
                    raise serializers.ValidationError("not that code", code="nope")
                if value == "djan":
                    raise DjangoValidationError("a Django refusal", code="django")
                return value.upper()

            def get_validators(self) -> list[Any]:
                return list(self.Meta.validators)

        return Item

    return build(serializers.Serializer), build(StrictSerializer)


@pytest.mark.parametrize(
    "data",
    [
        {"code": "ab", "level": 3, "note": "x"},
        {"code": "ab"},
        {"code": "nope", "level": 9},
        {"code": "djan"},
        {"code": "toolong"},
        {"code": "pair", "level": 2},
        {"level": "3"},
        ["not", "an", "object"],
        "text",
    ],
)
def test_the_same_answer_as_drf(data: Any) -> None:
    drf_class, strict_class = _serializers()

    def outcome(serializer_class: type[serializers.Serializer]) -> Any:
        serializer = serializer_class(data=data)
        if serializer.is_valid():
            return ("valid", dict(serializer.validated_data))
        return ("invalid", serializer.errors)

    assert outcome(strict_class) == outcome(drf_class)


def test_one_serializer_validates_many_objects_alike() -> None:
    """The steps worked out once serve every object: a refusal of one leaves the next unaffected."""
    _drf_class, strict_class = _serializers()
    serializer = strict_class()
    assert serializer.run_validation({"code": "ab", "note": "n"}) == {"code": "AB", "remark": "n"}
    with pytest.raises(serializers.ValidationError) as refused:
        serializer.run_validation({"code": "nope"})
    assert refused.value.detail == {"code": [serializers.ErrorDetail("not that code", code="nope")]}
    assert serializer.run_validation({"code": "cd", "level": 1}) == {"code": "CD", "level": 1}


def test_unknown_keys_join_the_field_errors() -> None:
    _drf_class, strict_class = _serializers()
    serializer = strict_class(data={"code": "toolong", "colour": "red"})
    assert not serializer.is_valid()
    assert set(serializer.errors) == {"code", "colour"}
    assert serializer.errors["colour"][0].code == "unknown_field"
