"""Every input type of the schema is built by its plan (:mod:`shopx.api.graphql.input_plans`)
exactly as Strawberry's own conversion builds it, whichever fields are given, null or left
out."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.types.arguments import convert_argument
from strawberry.types.base import (
    StrawberryList,
    StrawberryObjectDefinition,
    StrawberryOptional,
    has_object_definition,
)

from shopx.api.graphql.input_plans import InputPlan
from shopx.api.graphql.schema import schema

CONVERTER = schema.schema_converter
INPUTS = sorted(
    (
        concrete.definition
        for concrete in CONVERTER.type_map.values()
        if isinstance(concrete.definition, StrawberryObjectDefinition)
        and concrete.definition.is_input
    ),
    key=lambda definition: definition.name,
)


class Leaf:
    """A scalar's or enum's parsed value: both conversions hand it over as it is."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Leaf) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)


def value_of(type_: Any, path: str, shape: str) -> Any:
    """An input value of ``type_``: ``full`` gives every field, ``bare`` only the non-null
    ones, ``nulls`` null for every nullable one."""
    if isinstance(type_, StrawberryOptional):
        return None if shape == "nulls" else value_of(type_.of_type, path, shape)
    if isinstance(type_, StrawberryList):
        return [
            value_of(type_.of_type, f"{path}.0", shape),
            value_of(type_.of_type, f"{path}.1", shape),
        ]
    if has_object_definition(type_):
        definition = type_.__strawberry_definition__
        names = schema.config.name_converter
        found = {}
        for field in definition.fields:
            nullable = isinstance(field.type, StrawberryOptional)
            if shape == "bare" and nullable:
                continue
            found[names.from_field(field)] = value_of(field.type, f"{path}.{field.name}", shape)
        return found
    return Leaf(path)


def strawberrys(cls: type, value: Any) -> Any:
    """What Strawberry's own walk builds (plans taken off for the call)."""
    plans = {definition: definition.from_input for definition in INPUTS}
    try:
        for definition in INPUTS:
            definition.from_input = None
        return convert_argument(value, cls, CONVERTER.scalar_registry, schema.config)
    finally:
        for definition, plan in plans.items():
            definition.from_input = plan


def planned(cls: type, value: Any) -> Any:
    return convert_argument(value, cls, CONVERTER.scalar_registry, schema.config)


def shared_lists(built: Any, value: Any) -> list[str]:
    """The lists of ``built`` that are the very lists of the input ``value`` (graphql-core
    hands every request that omits a value the same default list: a copy must be built)."""
    if isinstance(built, list):
        found = ["list"] if built is value else []
        return found + [
            name for b, v in zip(built, value, strict=True) for name in shared_lists(b, v)
        ]
    if has_object_definition(type(built)):
        names = schema.config.name_converter
        return [
            f"{field.name}.{name}"
            for field in type(built).__strawberry_definition__.fields
            if names.from_field(field) in value
            for name in shared_lists(
                getattr(built, field.python_name), value[names.from_field(field)]
            )
        ]
    return []


def test_every_input_type_has_a_plan():
    assert INPUTS and all(isinstance(definition.from_input, InputPlan) for definition in INPUTS)


@pytest.mark.parametrize("shape", ["full", "bare", "nulls"])
@pytest.mark.parametrize("definition", INPUTS, ids=lambda definition: definition.name)
def test_a_plan_builds_what_strawberry_builds(definition, shape):
    cls = definition.origin
    value = value_of(cls, definition.name, shape)
    built = planned(cls, value)
    assert built == strawberrys(cls, value)
    assert shared_lists(built, value) == []
