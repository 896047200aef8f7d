"""Rebuilding what is derived from the raw rows: rollups and per-customer figures."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shopx.analytics.reporting import ReportingRules
from shopx.cache.runtime import CacheRuntime, writing
from shopx.cache.tags import ALL_TAGS
from shopx.config import Settings
from shopx.customers.segments import move, resegment, segments_as_of
from shopx.customers.stats import (
    drifted_customers,
    refresh_all_customer_stats,
    refresh_customer_stats,
)
from shopx.db.dialect import one_snapshot
from shopx.db.engine import session_factory
from shopx.db.models import Segment
from shopx.db.writes import write_connection, write_session
from shopx.rollups.rebuild import rebuild


@dataclass
class RefreshReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    segments: dict[str, int] = field(default_factory=dict)


async def full_refresh(
    engine: AsyncEngine,
    settings: Settings,
    *,
    now: datetime | None = None,
    cache: CacheRuntime | None = None,
) -> RefreshReport:
    """Recompute every rollup from the raw rows, in one transaction; then the customers'
    statistics and segments as of ``now``, in another.

    Both count as writes: cached answers are stale afterwards on every instance (through
    ``cache`` when given, through the database's write counter in any case)."""
    now = now or datetime.now(UTC)
    report = RefreshReport()
    started = time.perf_counter()
    async with write_connection(engine, now) as conn:
        report.rows = await conn.run_sync(lambda sync: rebuild(sync, settings.tz))
    report.seconds["rollups"] = time.perf_counter() - started
    started = time.perf_counter()
    async with write_session(session_factory(engine), now) as session:
        counts, _ = await refresh_customers(session, settings, now)
    report.segments = {str(name): count for name, count in counts.items()}
    report.seconds["customers"] = time.perf_counter() - started
    if cache is not None:
        await cache.written(ALL_TAGS)
    return report


async def refresh_customers(
    session: AsyncSession, settings: Settings, now: datetime
) -> tuple[dict[Segment, int], int]:
    """Every customer's statistics, then segment as of ``now`` (in ``session``'s write
    transaction): the customers per segment, and how many changed segment."""
    await refresh_all_customer_stats(session, settings.revenue_statuses)
    return await resegment(session, now, ReportingRules.of(settings))


async def refresh_segments(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, cache: CacheRuntime | None
) -> int:
    """:func:`refresh_customers_apart` as of now, as a job does after importing rows;
    returns how many customers changed segment."""
    _counts, moved = await refresh_customers_apart(sessions, settings, datetime.now(UTC), cache)
    return moved


REPAIR_BY_ID = 10_000
"""Drifted customers repaired by id; past this many, every customer is recomputed."""
MOVES_PER_WRITE = 2_000
"""Customers moved to their new segments per write: 8,858 in one took the writers' turn
for 0.4 s at scale M (with the segment totals' trigger). Each customer is in one segment
at any time, so a reader between two writes sees the totals add up."""


async def refresh_customers_apart(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime,
    cache: CacheRuntime | None,
) -> tuple[dict[Segment, int], int]:
    """:func:`refresh_customers`, reading outside the writers' turn: the statistics are
    compared with the orders in one snapshot, and only the customers that differ (none,
    unless orders were written around the write paths) are recomputed in a write; then the
    segments are scored, and only the customers that move are written,
    :data:`MOVES_PER_WRITE` at a time, each in a turn of its own. Recomputing every
    customer's statistics and segment in the writers' turn held every order write for
    1.9 s at scale M. A write landing between a read and its write is no harm: the
    statistics are recomputed in the write from the orders as they then are; a segment is
    as of ``now`` in any case (order writes do not keep segments), and a customer another
    run moved meanwhile is left as that run put it (:func:`move`)."""
    statuses = settings.revenue_statuses
    async with sessions() as session:
        await session.connection(execution_options=one_snapshot(session.bind))
        drifted = await drifted_customers(session, statuses)
    if drifted:
        async with writing(sessions, now, cache) as session:
            if len(drifted) > REPAIR_BY_ID:
                await refresh_all_customer_stats(session, statuses)
            else:
                await refresh_customer_stats(session, drifted, statuses)
    async with sessions() as session:
        found = await segments_as_of(session, now, ReportingRules.of(settings))
    moved = 0
    for part in found.parts(MOVES_PER_WRITE):
        async with writing(sessions, now, cache) as session:
            moved += await move(session, part)
    return found.counts, moved
