"""Many rows of an order write, in as few statements as can carry them.

A batch of orders writes dozens of rows per table. Sent as an executemany, PostgreSQL runs
the statement once per row (an INSERT of 45 order items: 45 executions); sent as one array
per column (:func:`shopx.db.dialect.insert_from_arrays`), it runs once, and the writes of
several tables go together as one statement (:func:`shopx.db.dialect.in_one_statement`):
each round trip is one more wait while the write holds the writers' turn. These statements
go to the driver without the ORM, so they note the tables they write for the response
cache themselves. SQLite runs an executemany in process, without round trips: it keeps
SQLAlchemy's Core statements (which store its timestamps in their text form), one per
table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.cache.tags import note_written
from shopx.db.dialect import (
    in_one_statement,
    insert_from_arrays,
    is_postgres,
    update_from_arrays,
)


@dataclass(frozen=True, slots=True)
class NewRows:
    """Rows to insert into ``table``: values in the order of ``columns``."""

    table: Table
    columns: tuple[str, ...]
    rows: Sequence[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class ChangedRows:
    """Rows of ``table`` to update, each found by its ``key``: the key, then the new values
    of ``columns`` in their order."""

    table: Table
    key: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[Any, ...]]


async def write_rows(session: AsyncSession, *writes: NewRows | ChangedRows) -> None:
    """Write each of ``writes`` in the session's transaction: in one statement on
    PostgreSQL."""
    writes = tuple(write for write in writes if write.rows)
    if not writes:
        return
    if not is_postgres(session.bind):
        for write in writes:
            await _sqlite(session, write)
        return
    statements: list[str] = []
    arrays: list[list[Any]] = []
    for write in writes:
        note_written(session.sync_session, write.table.name)
        statements.append(_postgres(write, len(arrays)))
        arrays.extend(list(column) for column in zip(*write.rows, strict=True))
    statement = statements[0] if len(statements) == 1 else in_one_statement(statements)
    await (await session.connection()).exec_driver_sql(statement, tuple(arrays))


def _postgres(write: NewRows | ChangedRows, before: int) -> str:
    if isinstance(write, NewRows):
        return insert_from_arrays(write.table, write.columns, before)
    return update_from_arrays(write.table, write.key, write.columns, before)


async def _sqlite(session: AsyncSession, write: NewRows | ChangedRows) -> None:
    if isinstance(write, NewRows):
        rows = [dict(zip(write.columns, row, strict=True)) for row in write.rows]
        await session.execute(insert(write.table), rows)
        return
    table = write.table
    statement = (
        update(table)
        .where(table.c[write.key] == bindparam("_key"))
        .values({name: bindparam(name) for name in write.columns})
    )
    names = ("_key", *write.columns)
    await session.execute(statement, [dict(zip(names, row, strict=True)) for row in write.rows])
