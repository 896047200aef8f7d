"""Seeding a database: generate the shop in memory, bulk load it, rebuild the rollups."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

from rich.progress import Progress
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from shopx.config import get_settings
from shopx.db.dialect import is_postgres
from shopx.db.engine import sqlite_path
from shopx.db.rollups import mark_written, rebuild
from shopx.errors import BadInput, Conflict
from shopx.seed.dataset import GENERATION_STEPS, Dataset, generate_dataset
from shopx.seed.load_postgres import load_postgres
from shopx.seed.load_sqlite import analyze_sqlite, load_sqlite
from shopx.seed.phases import Phases
from shopx.seed.scales import Scale
from shopx.seed.schema import TABLES


class DatabaseNotEmpty(Conflict):
    """Seeding would mix generated rows with existing ones; ``force`` wipes them first."""


@dataclass(frozen=True)
class SeedReport:
    scale: str
    random_seed: int
    today: date
    counts: dict[str, int]
    """Rows loaded per table."""
    timings: dict[str, float]
    """Seconds per phase in the order they ran, then ``total``."""
    segments: dict[str, int]
    statuses: dict[str, int]


async def tables_with_rows(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        found = []
        for table in TABLES:
            if (await conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {table})"))).scalar():
                found.append(table)
        return found


async def _refresh_rollups(conn: AsyncConnection, timezone: ZoneInfo, phases: Phases) -> None:
    """The rollups from the fresh rows, and a new data version so caches start over."""
    with phases.phase("rollups"):
        async with AsyncSession(bind=conn) as session:
            await session.run_sync(lambda sync: rebuild(sync.connection(), timezone))
            await mark_written(session, datetime.now(UTC))


async def _load(
    engine: AsyncEngine, dataset: Dataset, phases: Phases, *, wipe: bool, timezone: ZoneInfo
) -> None:
    if is_postgres(engine):
        async with engine.begin() as conn:
            await load_postgres(conn, dataset, phases, wipe=wipe)
            await _refresh_rollups(conn, timezone, phases)
        return
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        raise BadInput("seeding SQLite needs a database file, not an in-memory database")
    await asyncio.to_thread(_load_sqlite_file, path, dataset, phases, wipe)
    async with engine.begin() as conn:
        await _refresh_rollups(conn, timezone, phases)


def _load_sqlite_file(path: Path, dataset: Dataset, phases: Phases, wipe: bool) -> None:
    load_sqlite(path, dataset, phases, wipe=wipe)
    with phases.phase("analyze"):
        analyze_sqlite(path)


async def seed_database(
    engine: AsyncEngine,
    scale: Scale,
    *,
    random_seed: int = 42,
    force: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    timezone: ZoneInfo | None = None,
) -> SeedReport:
    """Fill a migrated database with two years of synthetic sales before ``today``.

    Orders cover the 730 whole UTC days ending at the start of ``today`` (default: the
    current UTC date), so none lies in the future. The same ``scale``, ``random_seed``
    and ``today`` always give the same rows. A database that already has data is
    refused with :class:`DatabaseNotEmpty` unless ``force``, which wipes the data tables
    first. The rows load in one transaction; the rollups are then rebuilt in
    ``timezone`` (default: the configured business time zone) and the data version
    moves on, in the same transaction on PostgreSQL and in the next one on SQLite.
    """
    started = perf_counter()
    filled = await tables_with_rows(engine)
    if filled and not force:
        raise DatabaseNotEmpty(
            f"the database is not empty ({', '.join(filled)} already hold rows);"
            " seeding with force (shopx seed --force) wipes it first",
            detail={"tables": filled},
        )
    today = today or datetime.now(UTC).date()
    phases = Phases(progress)
    with phases.phase("generate", total=GENERATION_STEPS) as advance:
        dataset = await asyncio.to_thread(
            generate_dataset, scale, random_seed, today, lambda: advance(1)
        )
    await _load(engine, dataset, phases, wipe=bool(filled), timezone=timezone or get_settings().tz)
    return SeedReport(
        scale=scale.name,
        random_seed=random_seed,
        today=today,
        counts=dataset.counts(),
        timings={**phases.seconds, "total": perf_counter() - started},
        segments=dataset.tally("customers", "segment"),
        statuses=dataset.tally("orders", "status"),
    )
