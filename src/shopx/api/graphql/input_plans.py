"""Input objects built from a plan made once per input type.

Strawberry builds an argument's input objects by walking their types on every request: for
each field it resolves the field's type, checks it for generics and converts its name. Under
the write storm (``shopx bench --scenarios writes_only``) that walk over ``createOrder``'s
input and its lines took 6% of a worker's CPU, about as much as its share of the write.
graphql-core has already checked the value and parsed its scalars and enums, so what is
left is names and nesting: :func:`plan_inputs` works that out once per input type (on its
first use) and sets it as the type's ``from_input`` hook, which Strawberry calls instead of
its walk. A field of a kind the plan does not know is converted by Strawberry, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any

import strawberry
from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.types.arguments import InputContext
from strawberry.types.base import (
    StrawberryList,
    StrawberryMaybe,
    StrawberryObjectDefinition,
    StrawberryOptional,
    has_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.lazy_type import LazyType

Convert = Callable[[Any, InputContext], Any]
"""From a field's input value (not null) to its Python value."""


def plan_inputs(schema: strawberry.Schema) -> None:
    """Give every input type of ``schema`` that builds itself the Strawberry way a plan."""
    for concrete in schema.schema_converter.type_map.values():
        definition = concrete.definition
        if (
            isinstance(definition, StrawberryObjectDefinition)
            and definition.is_input
            and definition.from_input is None
        ):
            definition.from_input = InputPlan(definition)


class InputPlan:
    """``from_input`` of one input type: each field's GraphQL name, attribute and
    conversion (None: the value as it is), worked out on first use."""

    def __init__(self, definition: StrawberryObjectDefinition) -> None:
        self._definition = definition
        self._fields: list[tuple[str, str, Convert | None]] | None = None
        self._required: dict[str, None] = {}
        """Fields without a default: None unless given (graphql-core made sure the non-null
        ones are), as Strawberry does."""

    def __call__(self, cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
        fields = self._fields if self._fields is not None else self._plan(context)
        kwargs: dict[str, Any] = dict(self._required)
        for name, attribute, convert in fields:
            if name in value:
                given = value[name]
                kwargs[attribute] = (
                    given if convert is None or given is None else convert(given, context)
                )
        return cls(**kwargs)

    def _plan(self, context: InputContext) -> list[tuple[str, str, Convert | None]]:
        definition = self._definition
        names = context.config.name_converter
        self._required = {
            field.python_name: None
            for field in definition.fields
            if field.default_value is MISSING and field.default_factory is MISSING
        }
        self._fields = [
            (
                name,
                field.python_name,
                _conversion(field.resolve_type(type_definition=definition), context, name),
            )
            for field in definition.fields
            for name in (names.from_field(field),)
        ]
        return self._fields


def _conversion(type_: Any, context: InputContext, name: str) -> Convert | None:
    if isinstance(type_, StrawberryMaybe) or type_ is GlobalID:
        return _strawberrys(type_, name)
    if isinstance(type_, StrawberryOptional):
        return _conversion(type_.of_type, context, name)
    if isinstance(type_, LazyType):
        return _conversion(type_.resolve_type(), context, name)
    if isinstance(type_, StrawberryList):
        item = _conversion(type_.of_type, context, name)
        if item is None:
            # A copy: graphql-core hands every request that omits the value the same default.
            return lambda value, _: list(value)
        return lambda value, at: [None if one is None else item(one, at) for one in value]
    if isinstance(type_, StrawberryEnumDefinition) or is_scalar(type_, context.scalar_registry):
        return None
    if has_object_definition(type_) and isinstance(
        type_.__strawberry_definition__.from_input, InputPlan
    ):
        plan, cls = type_.__strawberry_definition__.from_input, type_
        return lambda value, at: plan(cls, value, at)
    return _strawberrys(type_, name)


def _strawberrys(type_: Any, name: str) -> Convert:
    """Strawberry's own conversion, for a kind of field the plan leaves to it."""
    return lambda value, at: at.convert(value, type_, name)
