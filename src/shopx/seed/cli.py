"""``shopx seed`` between the terminal and :func:`seed_database`: progress bars and a summary."""

from __future__ import annotations

import asyncio
from datetime import datetime

from rich.columns import Columns
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shopx.cache.runtime import outside_cache
from shopx.cache.tags import ALL_TAGS
from shopx.config import get_settings
from shopx.db.engine import engine_from_settings, session_factory
from shopx.seed.scales import SCALES, Scale
from shopx.seed.service import MAX_RANDOM_SEED, DatabaseNotEmpty, SeedReport, seed_database


def run_seed(
    console: Console,
    scale: str,
    *,
    random_seed: int,
    force: bool,
    if_empty: bool,
    until: datetime | None = None,
) -> int:
    """Seed the configured database; returns the exit code."""
    chosen = SCALES.get(scale.upper())
    if chosen is None:
        console.print(f"[red]unknown scale {scale!r}[/]: choose one of {', '.join(SCALES)}")
        return 2
    if not 0 <= random_seed < MAX_RANDOM_SEED:
        console.print(
            f"[red]random seed {random_seed}[/]: give one from 0 to {MAX_RANDOM_SEED - 1}"
        )
        return 2
    try:
        report = asyncio.run(_seed(console, chosen, random_seed, force, until))
    except DatabaseNotEmpty as exc:
        if if_empty:
            console.print("the database is not empty: nothing to do (--if-empty)")
            return 0
        console.print(f"[red]{exc.message}[/]")
        return 1
    console.print(summary(report))
    return 0


async def _seed(
    console: Console, scale: Scale, random_seed: int, force: bool, until: datetime | None
) -> SeedReport:
    settings = get_settings()
    engine = engine_from_settings(settings)
    columns = (TextColumn("{task.description:<28}"), BarColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as progress:
            report = await seed_database(
                engine, scale, random_seed=random_seed, force=force, progress=progress, until=until
            )
        async with outside_cache(settings, session_factory(engine)) as cache:
            await cache.written(ALL_TAGS)  # running instances drop what they cached
        return report
    finally:
        await engine.dispose()


def summary(report: SeedReport) -> Columns:
    """Seconds per phase, rows per table, and how customers and orders are distributed."""
    phases = Table("phase", "seconds", title=f"scale {report.scale}, seed {report.random_seed}")
    for phase, seconds in report.timings.items():
        phases.add_row(phase, f"{seconds:.2f}")
    rows = Table("table", "rows", title=f"orders up to {report.until:%Y-%m-%d %H:%M} UTC")
    for name, count in report.counts.items():
        rows.add_row(name, f"{count:,}")
    shares = Table("segment / status", "count", title="distribution")
    for name, count in {**report.segments, **report.statuses}.items():
        shares.add_row(name, f"{count:,}")
    return Columns([phases, rows, shares])
