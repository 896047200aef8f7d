"""Many rows of an order write in one statement each.

A batch of orders writes dozens of rows per table. Sent as an executemany, PostgreSQL runs
the statement once per row (an INSERT of 45 order items: 45 executions); sent as one array
per column (:func:`shopx.db.dialect.insert_from_arrays`), it runs once. These statements
go to the driver without the ORM, so they note the tables they write for the response
cache themselves. SQLite runs an executemany in process, without round trips: it keeps
SQLAlchemy's Core statements (which store its timestamps in their text form).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.cache.tags import note_written
from shopx.db.dialect import insert_from_arrays, is_postgres, update_from_arrays


async def insert_rows(
    session: AsyncSession, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (values in the order of ``columns``) in the session's transaction."""
    if not rows:
        return
    if is_postgres(session.bind):
        await _by_arrays(session, table, insert_from_arrays(table, tuple(columns)), rows)
        return
    await session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


async def update_rows(
    session: AsyncSession,
    table: Table,
    key: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Set ``columns`` of the rows whose ``key`` each of ``rows`` gives first (the key, then
    the values in the order of ``columns``)."""
    if not rows:
        return
    if is_postgres(session.bind):
        await _by_arrays(session, table, update_from_arrays(table, key, tuple(columns)), rows)
        return
    statement = (
        update(table)
        .where(table.c[key] == bindparam("_key"))
        .values({name: bindparam(name) for name in columns})
    )
    names = ("_key", *columns)
    await session.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])


async def _by_arrays(
    session: AsyncSession, table: Table, statement: str, rows: Sequence[tuple[Any, ...]]
) -> None:
    note_written(session.sync_session, table.name)
    arrays = tuple(list(column) for column in zip(*rows, strict=True))
    await (await session.connection()).exec_driver_sql(statement, arrays)
