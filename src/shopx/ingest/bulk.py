"""Bulk inserts inside a write transaction: COPY on PostgreSQL, executemany on SQLite.

Both take rows as tuples in ``columns`` order and bypass SQLAlchemy's per-value
processing, so timestamps come in the form the driver stores (:func:`stamper`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.columns import sqlite_timestamp_text
from shopx.db.dialect import is_postgres


def stamper(session: AsyncSession) -> Callable[[datetime], Any]:
    """How a UTC timestamp is handed to :func:`insert_records`: as is to asyncpg, as the
    stored text to SQLite."""
    return (lambda moment: moment) if is_postgres(session.bind) else sqlite_timestamp_text


async def insert_records(
    session: AsyncSession, table: Table, columns: Sequence[str], records: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``records`` into ``table`` in the session's transaction."""
    if not records:
        return
    conn = await session.connection()
    driver = (await conn.get_raw_connection()).driver_connection
    if is_postgres(conn):
        await driver.copy_records_to_table(table.name, records=records, columns=list(columns))
        return
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    marks = ", ".join("?" * len(columns))
    await driver.executemany(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", records)
