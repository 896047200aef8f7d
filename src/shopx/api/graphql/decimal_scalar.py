"""The ``Decimal`` scalar, read strictly: money and money filters are written one way only.

Python's ``Decimal()`` reads far more than a price: underscores (``"1_000"``), surrounding
whitespace, digits of any script (Arabic-Indic, fullwidth), exponents (``"1e999999999999"``),
``NaN`` and ``Infinity``. An input holds ASCII digits, an optional leading minus and an
optional fraction; the sign, the bounds and the two decimal places are checked where the
field's name is known (every Decimal input goes through :func:`values.cents`).
The scalar keeps its name, description and output, so the published schema is unchanged.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from strawberry.schema.types.base_scalars import DecimalDefinition

PLAIN = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?")
"""Thirty digits each side is far past any bound, and keeps refusals that echo the value
short."""
REFUSAL = (
    "only ASCII digits (at most 30 each side of the point), an optional leading minus and"
    " one point are allowed, no spaces, underscores or exponent (e.g. 19.99)"
)


def parse_decimal(value: object) -> Decimal:
    """A string as written, or a JSON number as Python prints it (``5``, ``19.99``).

    A ValueError, not a GraphQLError: graphql-core then adds the variable path or the
    literal's location, which name the field.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(REFUSAL)
    written = value if isinstance(value, str) else repr(value)
    if not PLAIN.fullmatch(written):
        raise ValueError(REFUSAL)
    return Decimal(written)


STRICT_DECIMAL = dataclasses.replace(DecimalDefinition, parse_value=parse_decimal)
SCALAR_OVERRIDES = {Decimal: STRICT_DECIMAL}
"""For ``strawberry.Schema(scalar_overrides=...)``."""
