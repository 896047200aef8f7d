"""Dialect differences, kept in one place: local-day bucketing, additive upserts, inserts
that give way to a unique row and sequences after a bulk load."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    Date,
    String,
    Table,
    case,
    cast,
    func,
    literal,
    select,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.functions import GenericFunction

from shopx.calendar import QUARTER_HOUR


def backend(bind: AsyncEngine | AsyncConnection | Connection | Dialect) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    dialect = bind if isinstance(bind, Dialect) else bind.dialect
    return dialect.name


def is_postgres(bind: AsyncEngine | AsyncConnection | Connection | Dialect) -> bool:
    return backend(bind) == "postgresql"


def one_snapshot(bind: AsyncEngine | AsyncConnection | Connection | Dialect) -> dict[str, str]:
    """Execution options under which every statement of a read transaction sees the data as
    of its first one. PostgreSQL's default (READ COMMITTED) takes a snapshot per statement;
    a SQLite read transaction is one snapshot already (WAL; :mod:`shopx.db.engine` begins
    every session's transaction)."""
    return {"isolation_level": "REPEATABLE READ"} if is_postgres(bind) else {}


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


def quarter_hour(column: Any, dialect: Dialect) -> ColumnElement[int]:
    """SQL for :func:`shopx.calendar.quarter_hour_of` of a UTC timestamp column: whole
    quarters of an hour since the Unix epoch (times before 1970 are out of bounds)."""
    seconds = QUARTER_HOUR // timedelta(seconds=1)
    if is_postgres(dialect):
        return cast(func.floor(func.extract("epoch", column) / seconds), BigInteger)
    return cast(func.strftime("%s", column), BigInteger) // seconds


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
    """An INSERT that, on a key clash, adds the new measures to the stored ones.

    One statement object per table and columns, built once: every order write adds to the
    rollups, and building the statement (and its cache key, memoized on the object) took
    a tenth of a lone writer's CPU.
    """
    return _add_on_conflict(is_postgres(dialect), table, tuple(keys), tuple(measures))


@cache
def _add_on_conflict(
    postgres: bool, table: Table, keys: tuple[str, ...], measures: tuple[str, ...]
) -> Insert:
    insert = (postgresql if postgres else sqlite).insert(table)
    return insert.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + insert.excluded[name] for name in measures},
    )


@dataclass(frozen=True, slots=True)
class ArrayStatement:
    """PostgreSQL: a data-modifying statement over one array per parameter, that can go in
    one statement with others (:func:`add_to_tables_on_conflict`): ``text(before)`` is its
    SQL with the parameters numbered from ``before + 1``, ``arrays`` their values."""

    text: Callable[[int], str]
    arrays: tuple[list[Any], ...]


@cache
def add_to_tables_on_conflict(
    tables: tuple[tuple[Table, tuple[str, ...], tuple[str, ...]], ...],
    also: tuple[tuple[Callable[[int], str], int], ...] = (),
) -> str:
    """PostgreSQL: :func:`add_on_conflict` for several tables (each with its key columns and
    measures) in one statement, so a write transaction pays one round trip for all of
    them. Each table's INSERT is a data-modifying WITH clause over one array per column
    (``$1``, ``$2``, ... in the order the tables and their columns are given), then each
    of ``also`` (an :class:`ArrayStatement`'s text and its number of parameters)."""
    quote = _PG.identifier_preparer.quote
    statements: list[str] = []
    parameter = 0
    for table, keys, measures in tables:
        names = (*keys, *measures)
        added = ", ".join(f"{quote(m)} = t.{quote(m)} + excluded.{quote(m)}" for m in measures)
        statements.append(
            insert_from_arrays(table, names, parameter, alias="t")
            + f" ON CONFLICT ({', '.join(quote(key) for key in keys)}) DO UPDATE SET {added}"
        )
        parameter += len(names)
    for sql_from, count in also:
        statements.append(sql_from(parameter))
        parameter += count
    return in_one_statement(statements)


@cache
def insert_from_arrays(
    table: Table, columns: tuple[str, ...], before: int = 0, *, alias: str | None = None
) -> str:
    """PostgreSQL: an INSERT of many rows of ``table`` (named ``alias`` in the statement,
    if given) from one array per column (``$1`` for the first column, ...; from
    ``$before+1`` on if given): one statement and one plan however many rows, where an
    executemany runs the INSERT once per row."""
    quote = _PG.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    named = f" AS {alias}" if alias else ""
    return (
        f"INSERT INTO {quote(table.name)}{named} ({names})"
        f" SELECT * FROM unnest({_arrays(table, columns, before)})"
    )


@cache
def update_from_arrays(table: Table, key: str, columns: tuple[str, ...], before: int = 0) -> str:
    """PostgreSQL: an UPDATE of ``columns`` of many rows of ``table``, each found by its
    ``key``, from one array per column (``$1`` the keys, then ``columns`` in order; from
    ``$before+1`` on if given)."""
    quote = _PG.identifier_preparer.quote
    names = (key, *columns)
    given = ", ".join(quote(name) for name in names)
    assigned = ", ".join(f"{quote(name)} = v.{quote(name)}" for name in columns)
    return (
        f"UPDATE {quote(table.name)} AS t SET {assigned}"
        f" FROM unnest({_arrays(table, names, before)}) AS v({given})"
        f" WHERE t.{quote(key)} = v.{quote(key)}"
    )


def in_one_statement(statements: Sequence[str]) -> str:
    """PostgreSQL: data-modifying statements sent as one (each a WITH clause), so they cost
    one round trip. They run on one snapshot and cannot see each other's rows, but the
    foreign keys are checked once all have run: a row may refer to one inserted beside it."""
    clauses = ", ".join(f"w{number} AS ({sql})" for number, sql in enumerate(statements))
    return f"WITH {clauses} SELECT 1"


_PG = postgresql.dialect()


def _arrays(table: Table, columns: Sequence[str], before: int) -> str:
    """The typed array parameters of ``columns``, numbered from ``before + 1``. Text goes in
    as ``text[]``, so a column's own length check still applies."""
    arrays = []
    for number, name in enumerate(columns, start=before + 1):
        column_type = table.c[name].type
        shown = "text" if isinstance(column_type, String) else column_type.compile(_PG)
        arrays.append(f"${number}::{shown}[]")
    return ", ".join(arrays)


def insert_if_absent(
    dialect: Dialect, table: Table, keys: Sequence[str], where: ColumnElement[bool] | None = None
) -> Insert:
    """An INSERT that does nothing when a row with the same ``keys`` exists (among the rows
    matching ``where``: the predicate of a partial unique index). A concurrent inserter of
    the same key waits for the other's commit, then does nothing."""
    insert = (postgresql if is_postgres(dialect) else sqlite).insert(table)
    return insert.on_conflict_do_nothing(index_elements=list(keys), index_where=where)


ID_SEQUENCES = text(
    """
    SELECT c.relname AS "table", a.attname AS "column", s.oid::regclass::text AS "sequence"
    FROM pg_attrdef d
    JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid
        AND dep.refclassid = 'pg_class'::regclass
    JOIN pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'
    JOIN pg_class c ON c.oid = d.adrelid
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE c.relname = ANY(:tables) AND pg_table_is_visible(c.oid)
    UNION
    SELECT c.relname, a.attname, pg_get_serial_sequence(c.oid::regclass::text, a.attname)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE a.attidentity <> '' AND c.relname = ANY(:tables) AND pg_table_is_visible(c.oid)
    """
)
"""Every column of ``tables`` that draws from a sequence: a serial or ``nextval`` default
(the partitioned tables name theirs) or an identity column."""


async def move_sequences_past_rows(conn: AsyncConnection, tables: Sequence[str]) -> None:
    """Set each id sequence of ``tables`` to follow the largest id stored.

    A bulk load writes its ids itself and leaves the sequences where they were, so the next
    insert would draw an id a loaded row already holds (a unique violation). SQLite needs
    nothing: a rowid key takes the largest stored id plus one.
    """
    if not is_postgres(conn):
        return
    quote = conn.dialect.identifier_preparer.quote
    for table, column, sequence in await conn.execute(ID_SEQUENCES, {"tables": list(tables)}):
        largest = f"SELECT max({quote(column)}) FROM {quote(table)}"
        await conn.execute(
            text(f"SELECT setval(:sequence, COALESCE(({largest}), 0) + 1, false)"),
            {"sequence": sequence},
        )


async def next_ids(session: AsyncSession, *wanted: tuple[Table, int]) -> list[list[int]]:
    """New ids for rows of each table (its ``id`` column), so many for each: from the
    columns' sequences on PostgreSQL, all in one statement (safe beside concurrent writers),
    after the largest stored id on SQLite (the write transaction holds the database's lock)."""
    if is_postgres(session.bind):
        drawn = [
            f"array(SELECT nextval(:s{n}) FROM generate_series(1, :c{n}))"
            for n in range(len(wanted))
        ]
        values: dict[str, object] = {}
        for n, (table, count) in enumerate(wanted):
            values |= {f"s{n}": table.c.id.default.name, f"c{n}": count}
        # On the connection: the ORM's execution costs more than the statement, and drawing
        # from sequences depends on no pending row.
        conn = await session.connection()
        row = (await conn.execute(text(f"SELECT {', '.join(drawn)}"), values)).one()
        return [list(ids) for ids in row]
    ids = []
    for table, count in wanted:
        largest = (await session.scalar(select(func.max(table.c.id))) or 0) if count else 0
        ids.append(list(range(largest + 1, largest + 1 + count)))
    return ids


@asynccontextmanager
async def generic_plans(session: AsyncSession, *, to_the_end: bool = False) -> AsyncIterator[None]:
    """On PostgreSQL, the block's statements may run on a generic plan, made once per
    prepared statement, instead of one planned for each execution's values (the engine's
    setting, :data:`~shopx.db.engine.POSTGRES_SESSION`, which analytics needs). For a write's
    short statements by key or over arrays, planning is most of their cost: the probe of the
    customers' days over the partitions of orders took 2.5 ms to plan and 0.4 ms to run.
    A block inside another is part of it.

    ``to_the_end``: the transaction ends with the block (nothing runs between the two but
    its commit or rollback), which takes the setting back: the round trip that would set it
    back at the block's end is saved."""
    if not is_postgres(session.bind) or session.info.get(_GENERIC_PLANS):
        yield
        return
    # Back to the connection's setting after the block. If the block raises, the setting
    # stays until the transaction ends: a transaction a statement failed in can only be
    # rolled back, which takes it back, so a caller must not catch an error from the block
    # and go on in the same transaction.
    conn = await session.connection()
    session.info[_GENERIC_PLANS] = True
    try:
        await conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
        yield
        if not to_the_end:
            await conn.exec_driver_sql("SET LOCAL plan_cache_mode TO DEFAULT")
    finally:
        del session.info[_GENERIC_PLANS]


_GENERIC_PLANS = "shopx.generic_plans"


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
    accumulates a 128-bit state allocated per group and returns ``numeric``, which made
    ranking a year of products by their monthly rollup rows markedly slower (the README's
    Benchmarks section has the measurement). SQLite sums integers natively.
    """

    type = BigInteger()
    inherit_cache = True


@compiles(integer_sum)
def _integer_sum(element: integer_sum, compiler: SQLCompiler, **kw: Any) -> str:
    return f"sum({compiler.process(element.clauses, **kw)})"


@compiles(integer_sum, "postgresql")
def _integer_sum_postgresql(element: integer_sum, compiler: SQLCompiler, **kw: Any) -> str:
    return f"bigint_sum({compiler.process(element.clauses, **kw)})"
