"""Monthly range partitions of ``orders`` and ``order_items`` on PostgreSQL.

Each table has one partition per UTC calendar month plus a DEFAULT partition, so a
write for a month nobody prepared (a backfill from years ago) is never rejected.
:func:`ensure_partitions` creates the monthly partitions that cover the data's span
plus a few months ahead, moving any rows that wait in the DEFAULT partition into
their month. It is idempotent and a no-op on SQLite.

:func:`archive_partitions` detaches the months older than a retention period and moves them
to the ``archive`` schema: their rows leave every query of raw orders (order lists, customer
figures recomputed from orders) but stay in the database, and the rollups keep their sums,
so revenue and order totals of archived months still answer. A full rollup rebuild
(``shopx refresh --full``) recomputes from raw rows, so after it archived months are gone
from the totals too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.calendar import add_months, month_start
from shopx.db.dialect import is_postgres
from shopx.db.models import PARTITIONED_TABLES

MONTHS_AHEAD = 3
ARCHIVE_SCHEMA = "archive"


def months_between(first: date, last: date) -> list[date]:
    """The first days of every month from ``first``'s month through ``last``'s, inclusive."""
    months, current, end = [], month_start(first), month_start(last)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def is_partition(table: str) -> bool:
    """True for the physical partitions, which the models and migrations do not list."""
    return any(
        table.startswith(f"{parent}_p") or table == default_partition_name(parent)
        for parent in PARTITIONED_TABLES
    )


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month.year:04d}_{month.month:02d}"


def partition_month(table: str, name: str) -> date | None:
    """The month a partition of ``table`` holds, from its name; None for the DEFAULT one."""
    prefix = f"{table}_p"
    digits = name.removeprefix(prefix).split("_")
    if not name.startswith(prefix) or len(digits) != 2 or not all(d.isdigit() for d in digits):
        return None
    return date(int(digits[0]), int(digits[1]), 1)


def default_partition_name(table: str) -> str:
    return f"{table}_default"


def _bounds(month: date) -> tuple[datetime, datetime]:
    nxt = add_months(month, 1)
    return (
        datetime(month.year, month.month, 1, tzinfo=UTC),
        datetime(nxt.year, nxt.month, 1, tzinfo=UTC),
    )


def existing_partitions(conn: Connection, table: str) -> set[str]:
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent"
            " WHERE p.relname = :table"
        ),
        {"table": table},
    )
    return {row[0] for row in rows}


def create_default_partitions(conn: Connection) -> None:
    for table in PARTITIONED_TABLES:
        conn.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {default_partition_name(table)}"
                f" PARTITION OF {table} DEFAULT"
            )
        )


def _create_month(conn: Connection, month: date) -> None:
    lo, hi = _bounds(month)
    bounds = f"FOR VALUES FROM ('{lo.isoformat()}') TO ('{hi.isoformat()}')"
    in_month = "ordered_at >= :lo AND ordered_at < :hi"
    waiting = conn.execute(
        text(f"SELECT EXISTS (SELECT 1 FROM orders_default WHERE {in_month})"),
        {"lo": lo, "hi": hi},
    ).scalar_one()
    if not waiting:
        for table in PARTITIONED_TABLES:
            conn.execute(
                text(f"CREATE TABLE {partition_name(table, month)} PARTITION OF {table} {bounds}")
            )
        return
    # Rows for this month sit in the DEFAULT partitions: build the month's tables beside
    # them, move the rows over (items first, so no foreign key ever dangles), then attach.
    for table in PARTITIONED_TABLES:
        name = partition_name(table, month)
        conn.execute(
            text(f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        )
        conn.execute(
            text(
                f"INSERT INTO {name} SELECT * FROM {default_partition_name(table)} WHERE {in_month}"
            ),
            {"lo": lo, "hi": hi},
        )
    for table in reversed(PARTITIONED_TABLES):
        conn.execute(
            text(f"DELETE FROM {default_partition_name(table)} WHERE {in_month}"),
            {"lo": lo, "hi": hi},
        )
    for table in PARTITIONED_TABLES:
        conn.execute(
            text(f"ALTER TABLE {table} ATTACH PARTITION {partition_name(table, month)} {bounds}")
        )


def ensure_partitions(
    conn: Connection,
    *,
    first: date | None = None,
    last: date | None = None,
    today: date | None = None,
    months_ahead: int = MONTHS_AHEAD,
) -> list[str]:
    """Create the missing monthly partitions; returns the names of the tables created.

    The covered span runs from the earliest of ``first`` and the oldest order through
    ``months_ahead`` months past the latest of ``last``, the newest order and today.
    """
    if not is_postgres(conn):
        return []
    today = today or datetime.now(UTC).date()
    oldest, newest = conn.execute(text("SELECT min(ordered_at), max(ordered_at) FROM orders")).one()
    starts = [d for d in (first, oldest and oldest.date(), today) if d is not None]
    ends = [d for d in (last, newest and newest.date(), today) if d is not None]
    months = months_between(min(starts), add_months(month_start(max(ends)), months_ahead))
    create_default_partitions(conn)
    have = existing_partitions(conn, "orders")
    created: list[str] = []
    for month in months:
        if partition_name("orders", month) in have:
            continue
        _create_month(conn, month)
        created.extend(partition_name(table, month) for table in PARTITIONED_TABLES)
    return created


async def ensure_partitions_on(
    engine: AsyncEngine, *, today: date | None = None, months_ahead: int = MONTHS_AHEAD
) -> list[str]:
    """:func:`ensure_partitions` in one transaction of ``engine``."""
    async with engine.begin() as conn:
        return await conn.run_sync(
            lambda sync: ensure_partitions(sync, today=today, months_ahead=months_ahead)
        )


def oldest_month_kept(keep_months: int, today: date) -> date:
    """The first UTC month that :func:`archive_partitions` keeps live on ``today``."""
    return add_months(month_start(today), -(keep_months - 1))


def archive_partitions(conn: Connection, *, keep_months: int, today: date) -> list[str]:
    """Detach the monthly partitions that end before the first of the ``keep_months`` months
    up to ``today``'s, and move them to the ``archive`` schema; returns their names.

    Items go first so no order item ever points at a detached order. Idempotent; a no-op on
    SQLite."""
    if not is_postgres(conn):
        return []
    cutoff = oldest_month_kept(keep_months, today)
    conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {ARCHIVE_SCHEMA}"))
    old = sorted(
        month
        for name in existing_partitions(conn, "orders")
        if (month := partition_month("orders", name)) is not None and month < cutoff
    )
    archived: list[str] = []
    for month in old:
        for table in reversed(PARTITIONED_TABLES):
            name = partition_name(table, month)
            conn.execute(text(f"ALTER TABLE {table} DETACH PARTITION {name}"))
            # A detached item partition keeps its foreign key to the live orders, which
            # would then refuse to let its month's orders go: the archive needs no such key.
            for (key,) in conn.execute(
                text(
                    "SELECT conname FROM pg_constraint"
                    " WHERE conrelid = CAST(:name AS regclass)"
                    " AND contype = 'f' AND conparentid = 0"
                ),
                {"name": name},
            ).all():
                conn.execute(text(f'ALTER TABLE {name} DROP CONSTRAINT "{key}"'))
            _to_archive(conn, name)
            archived.append(f"{ARCHIVE_SCHEMA}.{name}")
    return archived


def _to_archive(conn: Connection, name: str) -> None:
    """Move the detached partition ``name`` to the archive schema. A month archived before
    is there already when an order was written for it since (a backfill waits in the
    DEFAULT partition, and :func:`ensure_partitions` makes its month again): its rows join
    the archived table, by column name (a migration since may have added columns)."""
    target = f"{ARCHIVE_SCHEMA}.{name}"
    if conn.scalar(text("SELECT to_regclass(:name)"), {"name": target}) is None:
        conn.execute(text(f"ALTER TABLE {name} SET SCHEMA {ARCHIVE_SCHEMA}"))
        return
    columns = ", ".join(
        f'"{column}"'
        for (column,) in conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = :schema AND table_name = :name ORDER BY ordinal_position"
            ),
            {"schema": ARCHIVE_SCHEMA, "name": name},
        )
    )
    conn.execute(text(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {name}"))
    conn.execute(text(f"DROP TABLE {name}"))
