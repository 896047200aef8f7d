"""Dialect differences, kept in one place: local-day bucketing and additive upserts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Date, Table, case, cast, func, literal, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.functions import GenericFunction


def backend(bind: AsyncEngine | AsyncConnection | Connection | Dialect) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    dialect = bind if isinstance(bind, Dialect) else bind.dialect
    return dialect.name


def is_postgres(bind: AsyncEngine | AsyncConnection | Connection | Dialect) -> bool:
    return backend(bind) == "postgresql"


def offset_intervals(tz: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The UTC offsets (seconds) of ``tz`` over ``[start, end)``: ``(valid_from, offset)`` pairs.

    Offsets change at most a few times a year, so an hourly scan finds each change to the
    hour and a binary search pins it to the second.
    """

    def offset_at(moment: datetime) -> int:
        return int(moment.astimezone(tz).utcoffset().total_seconds())  # type: ignore[union-attr]

    current = start.replace(minute=0, second=0, microsecond=0)
    intervals = [(start, offset_at(start))]
    while current < end:
        following = current + timedelta(hours=1)
        if offset_at(following) != intervals[-1][1]:
            lo, hi = current, following
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                lo, hi = (mid, hi) if offset_at(mid) == intervals[-1][1] else (lo, mid)
            intervals.append((hi.replace(microsecond=0), offset_at(following)))
        current = following
    return intervals


def local_date(
    column: Any, tz: ZoneInfo, dialect: Dialect, *, span: tuple[datetime, datetime]
) -> ColumnElement[Any]:
    """SQL for the business-local calendar day of a UTC timestamp column, typed as a date.

    PostgreSQL converts natively. SQLite has no time zones, so the offsets in force over
    ``span`` (the range of timestamps the query can meet) become a CASE over their edges;
    its date text is typed as Date so that it comes back as a ``date`` on both backends.
    """
    if is_postgres(dialect):
        return cast(func.timezone(tz.key, column), Date)
    intervals = offset_intervals(tz, *span)
    shifted = [func.date(column, f"{offset:+d} seconds") for _, offset in intervals]
    if len(intervals) == 1:
        return type_coerce(shifted[0], Date)
    whens = [
        (column < edge, day) for (edge, _), day in zip(intervals[1:], shifted[:-1], strict=True)
    ]
    return type_coerce(case(*whens, else_=shifted[-1]), Date)


def local_month(
    column: Any, tz: ZoneInfo, dialect: Dialect, *, span: tuple[datetime, datetime]
) -> ColumnElement[Any]:
    """SQL for the first day of the business-local month of a UTC timestamp column."""
    day = local_date(column, tz, dialect, span=span)
    if is_postgres(dialect):
        return cast(func.date_trunc("month", day), Date)
    return type_coerce(func.date(day, literal("start of month")), Date)


def local_week(
    column: Any, tz: ZoneInfo, dialect: Dialect, *, span: tuple[datetime, datetime]
) -> ColumnElement[Any]:
    """SQL for the Monday that starts the business-local week of a UTC timestamp column."""
    day = local_date(column, tz, dialect, span=span)
    if is_postgres(dialect):
        return cast(func.date_trunc("week", day), Date)
    # SQLite: 'weekday 0' moves forward to the week's Sunday (or stays); six days back is Monday.
    return type_coerce(func.date(day, literal("weekday 0"), literal("-6 days")), Date)


def add_on_conflict(
    dialect: Dialect, table: Table, keys: Sequence[str], measures: Sequence[str]
) -> Insert:
    """An INSERT that, on a key clash, adds the new measures to the stored ones."""
    insert = (postgresql if is_postgres(dialect) else sqlite).insert(table)
    return insert.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + insert.excluded[name] for name in measures},
    )


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (use with ``escape="\\"``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with LIKE's wildcards taken literally."""
    return "%" + escape_like(text) + "%"


class integer_sum(GenericFunction[int]):
    """``sum`` of an integer column, typed BIGINT, for aggregates over many groups.

    On PostgreSQL it is ``bigint_sum`` (migration 0003): a ``bigint`` state through
    ``int8pl``, integer arithmetic only, an overflow raises. The built-in ``sum(bigint)``
    accumulates a 128-bit state allocated per group and returns ``numeric``; ranking a
    year's 354k product-month rows into 90k products took 248 ms with it, 139 ms with
    this. SQLite sums integers natively.
    """

    type = BigInteger()
    inherit_cache = True


@compiles(integer_sum)
def _integer_sum(element: integer_sum, compiler: SQLCompiler, **kw: Any) -> str:
    return f"sum({compiler.process(element.clauses, **kw)})"


@compiles(integer_sum, "postgresql")
def _integer_sum_postgresql(element: integer_sum, compiler: SQLCompiler, **kw: Any) -> str:
    return f"bigint_sum({compiler.process(element.clauses, **kw)})"
