"""Seeding a database: generate the shop in memory, bulk load it with its rollups, then
derive the customers' figures and segments from the loaded orders."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

from rich.progress import Progress
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from shopx.analytics.customers import segment_summaries
from shopx.analytics.reporting import ReportingRules
from shopx.columnar.tables import Table
from shopx.config import get_settings
from shopx.db.data_version import DataVersion
from shopx.db.dialect import is_postgres
from shopx.db.engine import sqlite_path
from shopx.db.writes import write_connection
from shopx.errors import BadInput, Conflict
from shopx.rollups.customer_days import rebuild_gaps
from shopx.rollups.product_years import rebuild_years
from shopx.seed.dataset import GENERATION_STEPS, Dataset, generate_dataset
from shopx.seed.figures import with_customer_figures
from shopx.seed.load_postgres import load_postgres, vacuum_postgres
from shopx.seed.load_sqlite import analyze_sqlite, load_sqlite
from shopx.seed.monthly_rollups import build_rollups_by_month
from shopx.seed.phases import Phases
from shopx.seed.record import record_seeding
from shopx.seed.scales import Scale
from shopx.seed.schema import TABLES

MAX_RANDOM_SEED = 2**63
"""Random seeds are recorded with the demo in a BIGINT (numpy takes any non-negative one)."""


class DatabaseNotEmpty(Conflict):
    """Seeding would mix generated rows with existing ones; ``force`` wipes them first."""


@dataclass(frozen=True)
class SeedReport:
    scale: str
    random_seed: int
    until: datetime
    """Every order was placed before this moment."""
    counts: dict[str, int]
    """Rows loaded per table, rollup tables included."""
    timings: dict[str, float]
    """Seconds per phase in the order they ran, then ``total``."""
    segments: dict[str, int]
    """Customers per segment, as recomputed in the database."""
    statuses: dict[str, int]


@dataclass(frozen=True)
class Seeding:
    """What one seeding writes, and the clock and time zone it derives figures under."""

    dataset: Dataset
    rollups: tuple[Table, ...]
    until: datetime
    rules: ReportingRules
    scale: str
    random_seed: int


async def tables_with_rows(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        found = []
        for table in TABLES:
            if (await conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {table})"))).scalar():
                found.append(table)
        return found


def seeding_until(until: datetime | None, today: date | None) -> datetime:
    """``until`` in UTC; else the start of ``today`` (UTC); else now."""
    if until is not None and today is not None:
        raise BadInput("seed up to `until` or to the start of `today`, not both")
    if today is not None:
        return datetime(today.year, today.month, today.day, tzinfo=UTC)
    if until is None:
        return datetime.now(UTC)
    if until.tzinfo is None:
        raise BadInput(f"naive datetime {until!r}: `until` must carry a time zone")
    return until.astimezone(UTC)


async def _derive(conn: AsyncConnection, seeding: Seeding, phases: Phases) -> dict[str, int]:
    """The customers' days (:func:`rebuild_gaps`, from the loaded orders), the products'
    years (:func:`rebuild_years`, from their months), the rollups' time zone on the data
    version (the write connection moved it on, so caches start over) and the record of the
    demo; returns customers per segment."""
    with phases.phase("customer days"):
        await conn.run_sync(lambda sync: rebuild_gaps(sync, seeding.rules.tz))
    with phases.phase("product years"):
        await conn.run_sync(rebuild_years)
    async with AsyncSession(bind=conn) as session:
        await session.execute(
            update(DataVersion)
            .where(DataVersion.id == 1)
            .values(rollup_timezone=seeding.rules.tz.key)
        )
        await record_seeding(
            session,
            scale=seeding.scale,
            random_seed=seeding.random_seed,
            start=seeding.dataset.window.start,
            until=seeding.until,
            orders=seeding.dataset.table("orders").rows,
        )
        return {str(row.segment): row.customers for row in await segment_summaries(session)}


async def _load(
    engine: AsyncEngine, seeding: Seeding, phases: Phases, *, wipe: bool
) -> dict[str, int]:
    if is_postgres(engine):
        async with write_connection(engine, datetime.now(UTC)) as conn:
            await load_postgres(conn, seeding.dataset, seeding.rollups, phases, wipe=wipe)
            counts = await _derive(conn, seeding, phases)
        with phases.phase("vacuum"):
            await vacuum_postgres(engine)
        return counts
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        raise BadInput("seeding SQLite needs a database file, not an in-memory database")
    await asyncio.to_thread(_load_sqlite_file, path, seeding, phases, wipe)
    async with write_connection(engine, datetime.now(UTC)) as conn:
        return await _derive(conn, seeding, phases)


def _load_sqlite_file(path: Path, seeding: Seeding, phases: Phases, wipe: bool) -> None:
    load_sqlite(path, seeding.dataset, seeding.rollups, phases, wipe=wipe)
    with phases.phase("analyze"):
        analyze_sqlite(path)


async def seed_database(
    engine: AsyncEngine,
    scale: Scale,
    *,
    random_seed: int = 42,
    force: bool = False,
    until: datetime | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    timezone: ZoneInfo | None = None,
) -> SeedReport:
    """Fill a migrated database with two years of synthetic sales up to ``until``.

    Orders cover the 730 whole UTC days before ``until``'s day and that day up to
    ``until`` (default: now; ``today`` instead means the start of that UTC day), so none
    lies in the future. The same ``scale``, ``random_seed`` and ``until`` always give the
    same rows. A database that already has data is refused with
    :class:`DatabaseNotEmpty` unless ``force``, which wipes the data tables first.

    The rows load in one transaction together with the rollups, computed from the
    generated rows with days cut in ``timezone`` (default: the configured business time
    zone). Then the customers' statistics and segments are derived from the loaded
    orders as of ``until`` and the data version moves on, and the database is recorded as
    holding the demo (:mod:`shopx.seed.record`): in the same transaction on PostgreSQL, in
    the next one on SQLite.
    """
    started = perf_counter()
    if not 0 <= random_seed < MAX_RANDOM_SEED:
        raise BadInput(f"random seed {random_seed}: give one from 0 to {MAX_RANDOM_SEED - 1}")
    filled = await tables_with_rows(engine)
    if filled and not force:
        raise DatabaseNotEmpty(
            f"the database is not empty ({', '.join(filled)} already hold rows);"
            " seeding with force (shopx seed --force) wipes it first",
            detail={"tables": filled},
        )
    until = seeding_until(until, today)
    rules = ReportingRules.of(get_settings())
    rules = replace(rules, tz=timezone or rules.tz)
    phases = Phases(progress)
    with phases.phase("generate", total=GENERATION_STEPS) as advance:
        dataset = await asyncio.to_thread(
            generate_dataset, scale, random_seed, until, lambda: advance(1)
        )
    with phases.phase("rollups"):
        rollups = await asyncio.to_thread(build_rollups_by_month, dataset.tables, rules.tz)
    with phases.phase("customers"):
        dataset = await asyncio.to_thread(
            with_customer_figures, dataset, rules.statuses, until, rules.tz
        )
    seeding = Seeding(dataset, rollups, until, rules, scale.name, random_seed)
    segments = await _load(engine, seeding, phases, wipe=bool(filled))
    return SeedReport(
        scale=scale.name,
        random_seed=random_seed,
        until=until,
        counts={**dataset.counts(), **{table.name: table.rows for table in rollups}},
        timings={**phases.seconds, "total": perf_counter() - started},
        segments=segments,
        statuses=dataset.tally("orders", "status"),
    )
