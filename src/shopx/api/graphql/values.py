"""Input values to column values: ids, money, percentages, text. Errors name the field.

Every value is held to :mod:`shopx.bounds`; text to :mod:`shopx.text` (NFC; no control,
invisible formatting or private-use characters), the importer's rows too.

Mutation inputs describe their fields with :class:`Field` specs; :func:`collect` turns an
input object into ``{column: value}``, skipping fields the client left out (``UNSET``), so
one spec serves both the create and the partial-update input of an entity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from strawberry import UNSET
from strawberry.utils.str_converters import to_camel_case

from shopx.analytics.metrics import money
from shopx.bounds import EMAIL, MAX_CENTS, MAX_EMAIL, MAX_STOCK
from shopx.errors import BadInput
from shopx.text import MULTILINE, clean

CENT = Decimal("0.01")
MAX_WANTED = 256
"""Longest filter or search text: longer than any stored text it could match."""

Convert = Callable[[Any, str], Any]


MAX_ID = 2**63 - 1
ID = re.compile(r"[0-9]{1,19}")
"""At most as many digits as MAX_ID: ``int()`` of a longer text is refused or slow."""


def identifier(value: str, label: str) -> int:
    """An id as we print it: ASCII digits only, no spaces or signs; ``int()`` would also
    take ``" 1"``, ``"1_0"`` and other scripts' digits."""
    text = str(value)
    if not ID.fullmatch(text) or not 0 < int(text) <= MAX_ID:
        shown = text if len(text) <= 24 else text[:24] + "..."
        raise BadInput(f"{label}: {shown!r} is not a valid id")
    return int(text)


def cents(value: Decimal, label: str) -> int:
    """A money amount as exact integer cents: 0 to MAX_CENTS, at most 2 decimals."""
    if not value.is_finite():
        raise BadInput(f"{label} must be a number, got {value}")
    if value < 0:
        raise BadInput(f"{label} must not be negative, got {value}")
    # Compared before any arithmetic: an exponent like 1E+999999999 overflows the context.
    if value > money(MAX_CENTS):
        raise BadInput(f"{label} must be at most {money(MAX_CENTS)}, got {value}")
    if value != value.quantize(CENT):
        raise BadInput(f"{label} must have at most 2 decimal places, got {value}")
    return int(value.scaleb(2))


def basis_points(percent: float, label: str) -> int:
    """A percentage (5.25 means 5.25%) as basis points, 0 to 100%."""
    if not 0 <= percent <= 100:
        raise BadInput(f"{label} must be a percentage from 0 to 100, got {percent}")
    points = round(percent * 100)
    if abs(percent * 100 - points) > 1e-6:
        raise BadInput(f"{label} must have at most 2 decimal places, got {percent}")
    return points


def count(value: int, label: str) -> int:
    """A stock level: 0 to MAX_STOCK."""
    if value < 0:
        raise BadInput(f"{label} must not be negative, got {value}")
    if value > MAX_STOCK:
        raise BadInput(f"{label} must be at most {MAX_STOCK}, got {value}")
    return value


def age(value: int, label: str) -> int:
    if not 0 <= value <= 150:
        raise BadInput(f"{label} must be between 0 and 150, got {value}")
    return value


def text(max_length: int, *, blank: bool = False, lines: bool = False) -> Convert:
    """Stripped text of at most ``max_length`` characters; blank becomes None if allowed.

    ``lines`` lets tabs and line breaks through (descriptions); nothing else does.
    """

    def convert(value: str, label: str) -> str | None:
        stripped = clean(value.strip(), label, allow=MULTILINE if lines else "")
        if not stripped:
            if blank:
                return None
            raise BadInput(f"{label} must not be blank")
        if len(stripped) > max_length:
            raise BadInput(f"{label} must be at most {max_length} characters")
        return stripped

    return convert


def wanted(value: str | None, label: str) -> str | None:
    """A filter or search text (null: no filter), in the form stored text has: NFC, no
    control characters, at most ``MAX_WANTED`` characters. Not stripped: exact filters
    compare it as given."""
    if value is None:
        return None
    if len(value) > MAX_WANTED:
        raise BadInput(f"{label} must be at most {MAX_WANTED} characters")
    return clean(value, label)


def email(value: str, label: str) -> str:
    """A plausible address, lower-cased so that uniqueness ignores case."""
    address = clean(value.strip(), label).lower()
    if len(address) > MAX_EMAIL or not EMAIL.match(address):
        raise BadInput(f"{label}: {value!r} is not a valid email address")
    return address


def as_is(value: Any, label: str) -> Any:
    return value


def aware(value: datetime, label: str) -> datetime:
    """A point in time with a UTC offset (the domain bounds it: an order's date in
    :func:`shopx.orders.service.create_order`)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadInput(f"{label} must carry a UTC offset (ISO 8601, e.g. 2024-01-15T10:00:00Z)")
    return value


@dataclass(frozen=True, slots=True)
class Field:
    attribute: str
    column: str
    convert: Convert
    nullable: bool = False

    @property
    def label(self) -> str:
        return to_camel_case(self.attribute)


def collect(source: object, fields: Iterable[Field]) -> dict[str, Any]:
    """``{column: value}`` for every field the client gave; null only where allowed."""
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(source, field.attribute, UNSET)
        if value is UNSET:
            continue
        if value is None:
            if not field.nullable:
                raise BadInput(f"{field.label} must not be null")
            values[field.column] = None
        else:
            values[field.column] = field.convert(value, field.label)
    return values


def unless_null(convert: Convert, value: Any, label: str) -> Any:
    """``convert`` an optional argument: null stays null."""
    return None if value is None else convert(value, label)
