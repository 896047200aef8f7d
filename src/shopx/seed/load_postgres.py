"""Bulk load into PostgreSQL: binary COPY into the monthly partitions, indexes built after."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.schema import CreateIndex, DropIndex

from shopx.columnar.tables import Table
from shopx.db.dialect import move_sequences_past_rows
from shopx.db.models import PARTITIONED_TABLES
from shopx.db.partitions import ensure_partitions
from shopx.seed.constraints import FOREIGN, PRIMARY, Constraint, restore, suspend
from shopx.seed.copy_binary import HEADER, TRAILER, encode_rows
from shopx.seed.dataset import Dataset
from shopx.seed.phases import Advance, Phases
from shopx.seed.schema import DERIVED, REBUILT_TABLES, ROLLUPS, TABLES, rebuilt_indexes

CHUNK_ROWS = 200_000
KEYED_TABLES = PARTITIONED_TABLES
"""Tables whose primary keys are rebuilt too: the big, partitioned ones."""


async def _encoded_chunks(table: Table, advance: Advance) -> AsyncIterator[bytes]:
    # Encoding in a worker thread lets the server store one chunk while we encode the next.
    yield HEADER
    for chunk in table.chunks(CHUNK_ROWS):
        yield await asyncio.to_thread(encode_rows, list(chunk.columns.values()))
        advance(chunk.rows)
    yield TRAILER


async def copy_table(driver: asyncpg.Connection, table: Table, advance: Advance) -> None:
    await driver.copy_to_table(
        table.name,
        source=_encoded_chunks(table, advance),
        columns=list(table.columns),
        format="binary",
    )


async def prepare(conn: AsyncConnection, dataset: Dataset, *, wipe: bool) -> list[Constraint]:
    """Empty the rollup tables, and the data tables if asked; add partitions; then take off
    what slows a bulk load: the secondary indexes of the big tables, their foreign keys, and
    the primary keys of the partitioned ones (returned)."""
    if wipe:
        await conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    await conn.execute(text(f"TRUNCATE {', '.join(ROLLUPS)}"))
    # Index builds sort in memory instead of spilling to temporary files.
    await conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    first, last = dataset.window.start.date(), dataset.window.until.astimezone(UTC).date()
    await conn.run_sync(lambda sync: ensure_partitions(sync, first=first, last=last))
    for index in rebuilt_indexes():
        await conn.execute(DropIndex(index, if_exists=True))
    return await suspend(conn, REBUILT_TABLES, KEYED_TABLES)


async def build_indexes(conn: AsyncConnection, advance: Advance) -> None:
    for index in rebuilt_indexes():
        await conn.execute(CreateIndex(index))
        advance(1)


async def load_postgres(
    conn: AsyncConnection,
    dataset: Dataset,
    rollups: tuple[Table, ...],
    phases: Phases,
    *,
    wipe: bool,
) -> None:
    """Load ``dataset`` and its ``rollups`` inside the caller's transaction on ``conn``."""
    with phases.phase("prepare"):
        suspended = await prepare(conn, dataset, wipe=wipe)
    driver = (await conn.get_raw_connection()).driver_connection
    for table in (*dataset.tables, *rollups):
        with phases.phase(f"load {table.name}", total=table.rows) as advance:
            await copy_table(driver, table, advance)
    keys = [c for c in suspended if c.kind == PRIMARY]
    with phases.phase("indexes", total=len(keys) + len(rebuilt_indexes())) as advance:
        await restore(conn, suspended, PRIMARY, advance)
        await build_indexes(conn, advance)
    with phases.phase("sequences"):
        await move_sequences_past_rows(conn, TABLES)
    with phases.phase("analyze"):
        await conn.execute(text(f"ANALYZE {', '.join((*TABLES, *ROLLUPS))}"))
    with phases.phase("foreign keys", total=len(suspended) - len(keys)) as advance:
        await restore(conn, suspended, FOREIGN, advance)


async def vacuum_postgres(engine: AsyncEngine) -> None:
    """Set hint bits and the visibility map now, so the first reads after a bulk load do not
    pay for it (index-only scans need the map), and the planner's statistics of the tables
    derived after the load's ANALYZE (without them it expects a few dozen rows of a year of
    products). VACUUM cannot run inside a transaction."""
    async with engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(f"VACUUM {', '.join((*TABLES, *ROLLUPS))}"))
        await autocommit.execute(text(f"VACUUM (ANALYZE) {', '.join(DERIVED)}"))
