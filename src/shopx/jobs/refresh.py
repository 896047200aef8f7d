"""Rebuilding what is derived from the raw rows: rollups and per-customer figures."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.config import Settings
from shopx.db.rollups import rebuild


@dataclass
class RefreshReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


async def full_refresh(engine: AsyncEngine, settings: Settings) -> RefreshReport:
    """Recompute every rollup from the raw rows, in one transaction."""
    report = RefreshReport()
    started = time.perf_counter()
    async with engine.begin() as conn:
        report.rows = await conn.run_sync(lambda sync: rebuild(sync, settings.tz))
    report.seconds["rollups"] = time.perf_counter() - started
    return report
