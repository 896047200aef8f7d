"""``rollups-check``: a sample of days of every rollup compared with the raw rows, and
repaired where they differ; ``rollups-rebuild``: every rollup rebuilt (``shopx refresh
--full`` as a job).

The sample is the last :data:`RECENT_DAYS` business-local days and :data:`OLDER_DAYS`
older days picked at random among the days with sales, each cut in the business time
zone, less the months that retention may have archived (:func:`unarchived`); for
:class:`~shopx.rollups.tables.ProductMonthly` the sample is the local months holding those
days. Each is recomputed with the rebuild's own queries
(:func:`shopx.rollups.rebuild.rollup_sources`), restricted to those days' order times; the
customers' days with :func:`shopx.rollups.customer_days.days_source`; the products' local
years holding the days are compared with the sums of their months, once those are right.

The comparison runs twice. First outside any write, in one snapshot of the database
(:func:`shopx.db.dialect.one_snapshot`: an order write changes its rows and its rollups in
one transaction, so within a snapshot they agree unless the rollups drifted), so a clean
database costs readers and writers nothing, however many orders come in meanwhile.
(Statement by statement, an order landing between reading a rollup and reading the raw
rows looked like drift, and the second pass held the writers' turn for 11 s at M while
the schedule caught up.) Where it sees a difference, the days in question are recomputed,
compared and repaired inside one write transaction: writers take the data version's lock
first (:mod:`shopx.db.writes`), so no order write can commit between that recomputation
and the repair, and the repair invalidates cached answers like any write. Only what the
second pass finds is reported and counted.

The rows read are turned into cells and compared in a thread (``asyncio.to_thread``): at
scale M that is seconds of CPU, which on the event loop held up every request of a
serving process that runs the schedule, and the order writes waiting on them.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, delete, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.cache.runtime import writing
from shopx.calendar import (
    add_months,
    local_day,
    local_midnight,
    month_start,
    quarter_hour_of,
    quarter_hour_start,
)
from shopx.db.dialect import is_postgres, one_snapshot
from shopx.db.models import Order
from shopx.db.partitions import oldest_month_kept
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.refresh import full_refresh
from shopx.rollups.customer_days import CUSTOMERS, days_source
from shopx.rollups.measures import ITEM_MEASURES
from shopx.rollups.product_years import year_of, years_source
from shopx.rollups.rebuild import Window, rollup_sources
from shopx.rollups.tables import (
    FIRST_DAY,
    ROLLUP_TABLES,
    CustomerGaps,
    ProductYearly,
    SalesDaily,
    key_columns,
    measures_of,
)

RECENT_DAYS = 7
"""The latest local days checked on every run (today included)."""
OLDER_DAYS = 3
"""Older days with sales checked on every run, picked at random."""
ONE_DAY = timedelta(days=1)
DETAIL_DRIFTS = 20
"""Drifted cells named in a run's detail; the rest are counted."""

Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Drift:
    """One rollup cell that differs from the raw rows."""

    table: str
    key: Key
    """The row's key columns, its day (or month) first."""
    measure: str
    stored: int
    recomputed: int

    def __str__(self) -> str:
        bucket, *rest = self.key
        if isinstance(bucket, int):  # a quarter of an hour: shown as the time it starts
            bucket = quarter_hour_start(bucket).isoformat()
        where = f" ({', '.join(str(part) for part in rest)})" if rest else ""
        return f"{self.table} {bucket}{where} {self.measure}: {self.stored} -> {self.recomputed}"


def sample_days(today: date, older: Sequence[date], rng: random.Random) -> list[date]:
    """The last :data:`RECENT_DAYS` days to ``today``, and :data:`OLDER_DAYS` of ``older``
    (days with sales before them), sorted."""
    recent = [today - timedelta(days=back) for back in range(RECENT_DAYS)]
    earlier = sorted({day for day in older if day < recent[-1]})
    picked = rng.sample(earlier, min(OLDER_DAYS, len(earlier)))
    return sorted({*recent, *picked})


async def days_with_sales(session: AsyncSession) -> list[date]:
    """The local days holding any order, as the daily sales rollup knows them."""
    day = SalesDaily.__table__.c.day
    return list(await session.scalars(select(day).distinct()))


def _windows(buckets: Iterable[date], length: Any, tz: ZoneInfo) -> list[Window]:
    """The UTC spans of the local days (or months) starting on ``buckets``."""
    return [(local_midnight(start, tz), local_midnight(length(start), tz)) for start in buckets]


def _quarters_in(column: Any, windows: Sequence[Window]) -> Any:
    """WHERE: the quarter of an hour ``column`` lies in one of ``windows`` (local days,
    whose midnights fall on the quarters' edges)."""
    return or_(
        *(
            column.between(quarter_hour_of(start), quarter_hour_of(end) - 1)
            for start, end in windows
        )
    )


def _next_day(day: date) -> date:
    return day + ONE_DAY


def _next_month(month: date) -> date:
    return add_months(month, 1)


@dataclass(frozen=True, slots=True)
class Compared:
    """One rollup's stored and recomputed cells for the sampled buckets."""

    table: Table
    keys: tuple[str, ...]
    """Its key columns, the day (or month, or quarter of an hour) first."""
    measures: tuple[str, ...]
    stored: dict[Key, list[int]]
    recomputed: dict[Key, list[int]]

    def differences(self) -> list[Drift]:
        """The cells that differ, in key order."""
        zero = [0] * len(self.measures)
        drifts = []
        for key in self.stored.keys() | self.recomputed.keys():
            was, should = self.stored.get(key, zero), self.recomputed.get(key, zero)
            if was != should:
                for measure, old, new in zip(self.measures, was, should, strict=True):
                    if old != new:
                        drifts.append(Drift(self.table.name, key, measure, old, new))
        return sorted(drifts, key=lambda drift: repr(drift.key))  # stable: measures in order


async def find_drift(
    session: AsyncSession, days: Sequence[date], tz: ZoneInfo, live_from: date | None = None
) -> list[Drift]:
    """Every cell of every rollup on ``days`` (their months for the monthly one) that
    differs from what the raw rows make of them; ``live_from``: see :func:`_compare`."""
    drifts: list[Drift] = []
    for compared in await _compare(session, days, tz, live_from):
        drifts.extend(await asyncio.to_thread(compared.differences))
    drifts.extend(await asyncio.to_thread((await _compare_years(session, days)).differences))
    return drifts


async def _compare(
    session: AsyncSession, days: Sequence[date], tz: ZoneInfo, live_from: date | None
) -> list[Compared]:
    """Per rollup table, its stored rows and the recomputed ones for the sampled buckets.

    ``live_from``: the first local day wholly after the archived months, if any. A
    customer's day may follow an archived one, which the stored row names and the raw
    orders no longer show: both read as a first day (:data:`FIRST_DAY`), as every count
    of a period after the archive reads them."""
    months = sorted({month_start(day) for day in days})
    daily = _windows(days, _next_day, tz)
    monthly = _windows(months, _next_month, tz)
    span = (min(start for start, _ in monthly), max(end for _, end in monthly))
    dialect = session.bind.dialect
    by_days = rollup_sources(dialect, tz, span, daily)
    by_months = rollup_sources(dialect, tz, span, monthly)
    compared = []
    for model in ROLLUP_TABLES:
        table = model.__table__
        keys, measures = tuple(key_columns(table)), measures_of(table)
        bucket_column = table.c[keys[0]]
        if bucket_column.name == "month":
            sampled, source = bucket_column.in_(months), by_months[model]
        elif bucket_column.name == "quarter_hour":
            sampled, source = _quarters_in(bucket_column, daily), by_days[model]
        else:
            sampled, source = bucket_column.in_(days), by_days[model]
        columns = [table.c[name] for name in (*keys, *measures)]
        stored = await session.execute(select(*columns).where(sampled))
        recomputed = await session.execute(source)
        compared.append(await _compared(table, keys, measures, stored, recomputed))
    compared.append(await _compare_customer_days(session, days, daily, tz, live_from))
    return compared


async def _compare_years(session: AsyncSession, days: Sequence[date]) -> Compared:
    """The products' years holding ``days`` against the sums of their stored months (the
    months themselves are compared with the raw items)."""
    years = sorted({year_of(day) for day in days})
    table = ProductYearly.__table__
    keys, measures = tuple(key_columns(table)), ITEM_MEASURES
    columns = [table.c[name] for name in (*keys, *measures)]
    stored = await session.execute(select(*columns).where(table.c.year.in_(years)))
    recomputed = await session.execute(years_source(session.bind.dialect, years))
    return await _compared(table, keys, measures, stored, recomputed)


async def _compare_customer_days(
    session: AsyncSession,
    days: Sequence[date],
    windows: Sequence[Window],
    tz: ZoneInfo,
    live_from: date | None,
) -> Compared:
    gaps = CustomerGaps.__table__
    keys = ("day", "status", "since")
    oldest = await session.scalar(select(func.min(Order.ordered_at)))
    span = (min(oldest or windows[0][0], windows[0][0]), windows[-1][1])
    columns = [gaps.c[name] for name in (*keys, CUSTOMERS)]
    stored = await session.execute(select(*columns).where(gaps.c.day.in_(days)))
    recomputed = await session.execute(days_source(session.bind.dialect, tz, windows, span))

    def cells(rows: Iterable[Sequence[Any]]) -> dict[Key, list[int]]:
        counted: Counter[Key] = Counter()
        for day, status, since, customers in rows:
            if live_from is not None and since < live_from:
                since = FIRST_DAY
            counted[(day, status, since)] += int(customers)
        return {key: [count] for key, count in counted.items()}

    return await _compared(gaps, keys, (CUSTOMERS,), stored, recomputed, cells)


async def _compared(
    table: Table,
    keys: tuple[str, ...],
    measures: tuple[str, ...],
    stored: Iterable[Sequence[Any]],
    recomputed: Iterable[Sequence[Any]],
    cells: Callable[[Iterable[Sequence[Any]]], dict[Key, list[int]]] | None = None,
) -> Compared:
    """The rows read turned into cells (by default :func:`_cells`), in a thread (module doc)."""
    made = cells or partial(_cells, keys)
    return Compared(
        table, keys, measures, *await asyncio.to_thread(lambda: (made(stored), made(recomputed)))
    )


def _cells(keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> dict[Key, list[int]]:
    width = len(keys)
    return {tuple(row[:width]): [int(value) for value in row[width:]] for row in rows}


async def repair(
    session: AsyncSession, days: Sequence[date], tz: ZoneInfo, live_from: date | None = None
) -> list[Drift]:
    """Recompute ``days`` and replace every rollup row that differs (inside a write
    transaction); returns the cells that differed. The customers' days are replaced a
    whole day at a time (the stored rows of a day may read as fewer keys: :func:`_compare`);
    the products' years are compared last, with the months as repaired."""
    drifts: list[Drift] = []
    for compared in await _compare(session, days, tz, live_from):
        drifts.extend(await _replace(session, compared))
    drifts.extend(await _replace(session, await _compare_years(session, days)))
    return drifts


async def _replace(session: AsyncSession, compared: Compared) -> list[Drift]:
    """Replace the stored rows of ``compared`` that differ with the recomputed ones."""
    found = await asyncio.to_thread(compared.differences)
    if not found:
        return []
    table, names = compared.table, [*compared.keys, *compared.measures]
    if table is CustomerGaps.__table__:
        drifted = {drift.key[0] for drift in found}
        await session.execute(delete(table).where(table.c.day.in_(drifted)))
        keys = [key for key in compared.recomputed if key[0] in drifted]
    else:
        keys = sorted({drift.key for drift in found}, key=repr)
        key_tuple = tuple_(*(table.c[name] for name in compared.keys))
        await session.execute(delete(table).where(key_tuple.in_(keys)))
    rows = [
        dict(zip(names, [*key, *compared.recomputed[key]], strict=True))
        for key in keys
        if key in compared.recomputed
    ]
    if rows:
        await session.execute(table.insert(), rows)
    return found


def _report(checked: Sequence[date], drifts: Sequence[Drift]) -> str:
    span = f"{len(checked)} days ({', '.join(day.isoformat() for day in checked)})"
    if not drifts:
        return f"no drift in {span}"
    named = "; ".join(str(drift) for drift in drifts[:DETAIL_DRIFTS])
    more = len(drifts) - DETAIL_DRIFTS
    tail = f"; and {more} more" if more > 0 else ""
    return f"repaired {len(drifts)} cells in {span}: {named}{tail}"


def _live_from(ctx: JobContext) -> datetime | None:
    """The start of the partitions kept live under ``SHOPX_RETENTION_MONTHS`` (PostgreSQL):
    the raw rows before it may be archived. None: nothing is ever archived."""
    keep = ctx.settings.retention_months
    if keep is None or not is_postgres(ctx.engine):
        return None
    kept = oldest_month_kept(keep, local_day(ctx.now, ctx.settings.tz))
    return datetime.combine(kept, time(), UTC)


def unarchived(days: Sequence[date], ctx: JobContext, tz: ZoneInfo) -> list[date]:
    """``days`` less those whose local month begins before the partitions kept live
    (:func:`_live_from`): their raw rows may be archived, while their rollups keep the
    sums on purpose (:mod:`shopx.db.partitions`), so they are no drift."""
    live_from = _live_from(ctx)
    if live_from is None:
        return list(days)
    return [day for day in days if local_midnight(month_start(day), tz) >= live_from]


async def check_rollups(
    ctx: JobContext, days: Sequence[date] | None = None, rng: random.Random | None = None
) -> JobResult:
    """Check (and repair) ``days``, by default :func:`sample_days`; rows: cells repaired."""
    tz = ctx.settings.tz
    async with ctx.sessions() as session:
        await session.connection(execution_options=one_snapshot(ctx.engine))
        if days is None:
            older = await days_with_sales(session)
            days = sample_days(local_day(ctx.now, tz), older, rng or random.Random())
            days = unarchived(days, ctx, tz)
        days = sorted(set(days))
        if not days:
            return JobResult(0, "no day to check: every sampled day may be archived")
        live_from = _live_from(ctx)
        first_live_day = None if live_from is None else local_day(live_from, tz) + ONE_DAY
        suspects = await find_drift(session, days, tz, first_live_day)
    if not suspects:
        return JobResult(0, _report(days, []))
    buckets = {drift.key[0] for drift in suspects}
    suspect_days = [day for day in days if buckets & {day, month_start(day), year_of(day)}]
    async with writing(ctx.sessions, ctx.now, ctx.cache) as session:
        drifts = await repair(session, suspect_days, tz, first_live_day)
    return JobResult(len(drifts), _report(days, drifts))


async def rollups_check(ctx: JobContext) -> JobResult:
    """The job: :func:`check_rollups` over today's sample."""
    return await check_rollups(ctx)


async def rollups_rebuild(ctx: JobContext) -> JobResult:
    """Every rollup rebuilt from the raw rows, then the customers' figures (``shopx refresh
    --full``); rows: rollup rows written."""
    report = await full_refresh(ctx.engine, ctx.settings, now=ctx.now, cache=ctx.cache)
    tables = ", ".join(f"{name}: {rows}" for name, rows in report.rows.items())
    return JobResult(sum(report.rows.values()), tables)
