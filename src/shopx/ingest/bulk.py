"""Bulk work inside a write transaction, on the driver's connection: inserts (COPY on
PostgreSQL, executemany on SQLite), lookups of many keys (one array parameter on
PostgreSQL, IN lists of bound parameters on SQLite), and on PostgreSQL the order items'
foreign keys checked once per batch instead of once per row (:func:`insert_items`).

They take and give rows as tuples and bypass SQLAlchemy's per-value processing, so
timestamps come in the form the driver stores (:func:`stamper`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.columns import sqlite_timestamp_text
from shopx.db.dialect import is_postgres
from shopx.db.engine import SQLITE_MMAP_BYTES


def stamper(session: AsyncSession) -> Callable[[datetime], Any]:
    """How a UTC timestamp is handed to :func:`insert_records`: as is to asyncpg, as the
    stored text to SQLite."""
    return (lambda moment: moment) if is_postgres(session.bind) else sqlite_timestamp_text


@asynccontextmanager
async def unmapped(session: AsyncSession) -> AsyncIterator[None]:
    """On SQLite, the session's connection reads the database through its page cache
    (``cache_size``) instead of a memory map for the block: an import touches pages all over
    a growing file, and mapped they all count in the process's memory (a million imported
    rows made a 360 MB file, mapped whole). Elsewhere it does nothing."""
    if is_postgres(session.bind):
        yield
        return
    driver = await _driver(session)
    await driver.execute("PRAGMA mmap_size=0")
    try:
        yield
    finally:
        await driver.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")


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


ITEM_REFERENCES_CHECK = """
SELECT
  (SELECT count(*) FROM (
     SELECT 1 FROM orders o
     JOIN unnest($1::bigint[], $2::timestamptz[]) AS i(id, ordered_at)
       ON o.id = i.id AND o.ordered_at = i.ordered_at
     FOR KEY SHARE OF o) AS found),
  (SELECT count(*) FROM (
     SELECT 1 FROM products p WHERE p.id = ANY($3::bigint[]) FOR KEY SHARE OF p) AS found)
"""
"""How many of the given orders (id, time) and products exist, each locked the way a
foreign-key check locks the row it finds (no one can delete it or change its key until
the transaction ends)."""

TRIGGER_PRIVILEGE = """
SELECT current_setting('is_superuser') = 'on'
  OR (current_setting('server_version_num')::int >= 150000
      AND has_parameter_privilege('session_replication_role', 'SET'))
"""


async def may_check_items_per_batch(session: AsyncSession) -> bool:
    """Whether :func:`insert_items` can check a batch's references at once: on PostgreSQL,
    when the role may set ``session_replication_role`` (a superuser, or PostgreSQL 15+ with
    ``GRANT SET ON PARAMETER session_replication_role TO <role>``)."""
    if not is_postgres(session.bind):
        return False
    driver = await _driver(session)
    return bool(await driver.fetchval(TRIGGER_PRIVILEGE))


class MissingReference(Exception):
    """Order items that name an order or product that does not exist (a bug: the
    importer writes items of orders it wrote or read in the same transaction)."""


async def insert_items(
    session: AsyncSession,
    table: Table,
    columns: Sequence[str],
    records: Sequence[tuple[Any, ...]],
    *,
    per_batch: bool,
) -> None:
    """Insert order items (``columns`` name ``order_id``, ``ordered_at``, ``product_id``).

    With ``per_batch`` (:func:`may_check_items_per_batch`), PostgreSQL's per-row
    foreign-key triggers are off for the COPY (``session_replication_role = replica``,
    for this transaction only; ``order_items`` has no other triggers) and one statement
    checks the batch's distinct orders and products instead, taking the same row locks.
    Each per-row check of an item against the partitioned ``orders`` locks every
    partition (about 0.3 ms a row, most of an import's time); the batch's check is one
    join. A missing reference raises :class:`MissingReference`, failing the batch like the
    foreign key would."""
    if not per_batch or not records:
        await insert_records(session, table, columns, records)
        return
    at = {name: index for index, name in enumerate(columns)}
    order, moment, product = at["order_id"], at["ordered_at"], at["product_id"]
    orders = dict.fromkeys((record[order], record[moment]) for record in records)
    products = sorted({record[product] for record in records})
    # Through the session, which begins its transaction first (the setting lasts until the
    # transaction ends; a failed COPY aborts it, and with it the setting).
    await session.execute(text("SET LOCAL session_replication_role = replica"))
    await insert_records(session, table, columns, records)
    await session.execute(text("SET LOCAL session_replication_role = origin"))
    driver = await _driver(session)
    ids, times = [key[0] for key in orders], [key[1] for key in orders]
    found_orders, found_products = await driver.fetchrow(
        ITEM_REFERENCES_CHECK, ids, times, products
    )
    if found_orders != len(orders) or found_products != len(products):
        raise MissingReference(
            f"{len(orders) - found_orders} orders and {len(products) - found_products}"
            " products that order items name do not exist"
        )


async def _driver(session: AsyncSession) -> Any:
    conn = await session.connection()
    return (await conn.get_raw_connection()).driver_connection
