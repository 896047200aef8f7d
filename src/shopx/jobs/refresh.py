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
from shopx.customers.segments import resegment
from shopx.customers.stats import refresh_all_customer_stats
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
    """:func:`refresh_customers` as of now in a write of its own, as a job does after
    importing rows; returns how many customers changed segment."""
    now = datetime.now(UTC)
    async with writing(sessions, now, cache) as session:
        _counts, moved = await refresh_customers(session, settings, now)
    return moved
