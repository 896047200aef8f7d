"""Bulk work inside a write transaction, on the driver's connection: inserts (COPY on
PostgreSQL, executemany on SQLite) and lookups of many keys (one array parameter on
PostgreSQL, IN lists of bound parameters on SQLite).

They take and give rows as tuples and bypass SQLAlchemy's per-value processing, so
timestamps come in the form the driver stores (:func:`stamper`).
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


LOOKUP_CHUNK = 5_000
"""Keys per IN list on SQLite: under its bound-parameter limit."""


async def rows_with_keys(
    session: AsyncSession, table: Table, key: str, columns: Sequence[str], keys: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """``columns`` of the rows of ``table`` whose ``key`` column is one of ``keys``."""
    if not keys:
        return []
    conn = await session.connection()
    driver = (await conn.get_raw_connection()).driver_connection
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    head = f"SELECT {names} FROM {quote(table.name)} WHERE {quote(key)}"
    if is_postgres(conn):
        array = table.c[key].type.compile(dialect=conn.dialect)
        return [tuple(row) for row in await driver.fetch(f"{head} = ANY($1::{array}[])", keys)]
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        cursor = await driver.execute(f"{head} IN ({', '.join('?' * len(chunk))})", chunk)
        found.extend(tuple(row) for row in await cursor.fetchall())
        await cursor.close()
    return found
