"""Keyset (cursor) pagination: a sort key, its cursors and the SQL that resumes after one.

A cursor is the base64 of ``[sort name, sort value, id]`` of the last row seen, so the next
page starts right after it however many rows were written before it in the meantime.
"""

from __future__ import annotations

import base64
import binascii
import json
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from shopx.api.graphql.types.sort_direction import SortDirection
from shopx.errors import BadInput

DEFAULT_FIRST = 20
MAX_FIRST = 100
BIGINT = range(-(2**63), 2**63)
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Position:
    """Where a cursor points: the sort value and id of the last row seen."""

    value: Any
    id: int


@dataclass(frozen=True, slots=True)
class SortKey:
    """Sort by ``column``, then by the row's id, both in one direction (nulls always last)."""

    name: str
    column: InstrumentedAttribute[Any]
    descending: bool = False

    @property
    def id_column(self) -> InstrumentedAttribute[Any]:
        return self.column.class_.id

    @property
    def nullable(self) -> bool:
        return bool(self.column.expression.nullable)

    @classmethod
    def of(
        cls,
        field: Enum,
        columns: Mapping[Any, InstrumentedAttribute[Any]],
        direction: SortDirection,
    ) -> SortKey:
        """The key for a sort input: its field (named by value) in its direction."""
        return cls(field.value, columns[field], direction is SortDirection.DESC)

    def order_by(self) -> list[ColumnElement[Any]]:
        first = self.column.desc() if self.descending else self.column.asc()
        if self.nullable:
            first = first.nulls_last()
        return [first, self.id_column.desc() if self.descending else self.id_column.asc()]

    def after(self, position: Position) -> ColumnElement[bool]:
        """The rows that come after ``position`` in this order."""
        ahead = operator.lt if self.descending else operator.gt
        if position.value is None:
            return and_(self.column.is_(None), ahead(self.id_column, position.id))
        beyond = ahead(tuple_(self.column, self.id_column), (position.value, position.id))
        return or_(beyond, self.column.is_(None)) if self.nullable else beyond

    def cursor(self, row: Any) -> str:
        value = getattr(row, self.column.key)
        if isinstance(value, date):  # a datetime too
            value = value.isoformat()
        raw = json.dumps([self.name, value, row.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode()

    def position(self, cursor: str) -> Position:
        """Decode a cursor made by this sort; anything else is BAD_USER_INPUT."""
        try:
            name, value, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        except (binascii.Error, UnicodeError, ValueError, TypeError) as exc:
            raise BadInput(f"malformed cursor {cursor!r}") from exc
        if name != self.name:
            raise BadInput("the cursor belongs to another sort order; start again without `after`")
        if type(row_id) is not int or row_id not in BIGINT:
            raise BadInput(f"malformed cursor {cursor!r}")
        return Position(self._parse(value, cursor), row_id)

    def _parse(self, value: Any, cursor: str) -> Any:
        sql_type = self.column.type
        kind = getattr(sql_type, "impl_instance", sql_type).python_type
        if value is None and self.nullable:
            return None
        if kind is datetime and isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                moment = None
            if moment is not None and moment.tzinfo is not None:
                return moment
        elif kind is date and isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        elif type(value) is kind and _storable(value):
            return value
        raise BadInput(f"malformed cursor {cursor!r}")


def _storable(value: Any) -> bool:
    """Whether the database can compare a cursor's value: an integer within BIGINT, or text
    without NUL or lone surrogates (no row holds them; PostgreSQL cannot even take them)."""
    if isinstance(value, int):
        return value in BIGINT
    return not (isinstance(value, str) and UNSTORABLE.search(value))


def page_size(first: int) -> int:
    if not 0 <= first <= MAX_FIRST:
        raise BadInput(f"first must be between 0 and {MAX_FIRST}, got {first}")
    return first
