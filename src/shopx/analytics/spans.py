"""Cutting a UTC span into what rollups can answer and what raw rows must.

Day rollups answer the local days that lie wholly inside a span; the partial days at
its edges (a running period ends at *now*; a previous period may start mid-day) come
from raw rows. Month rollups likewise answer whole local months.

A running period's partial last day (or month) is usually empty past *now*: when no
order at all lies between a span's end and the end of its local day (month),
:func:`widen_quiet_tail` widens the span to that boundary. Both spans hold exactly the
same orders, so every figure is unchanged, and the wider one is made of whole rollup
buckets. An order placed after *now* (a backfill, a clock ahead of ours) keeps the span
as it is and its tail is read from raw rows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.periods import Span
from shopx.calendar import add_months, local_day, local_midnight
from shopx.db.models import Order


class Grain(enum.Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class DayCover:
    """``days``: whole local days ``(first, last)`` inclusive, or none; ``edges``: raw spans."""

    days: tuple[date, date] | None
    edges: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class MonthCover:
    """``months``: whole local months ``(first, last)`` (first days), ``rest``: days and edges."""

    months: tuple[date, date] | None
    days: tuple[tuple[date, date], ...]
    edges: tuple[Span, ...]


def placed_in(column: Any, spans: Iterable[Span]) -> Any:
    """WHERE: the timestamp ``column`` lies in one of ``spans`` (each end open)."""
    return or_(*((column >= part.start) & (column < part.end) for part in spans))


def _first_whole_day(span: Span, tz: ZoneInfo) -> date:
    day = local_day(span.start, tz)
    return day if local_midnight(day, tz) == span.start else day + timedelta(days=1)


def _end_whole_day(span: Span, tz: ZoneInfo) -> date:
    """The day after the last whole day."""
    return local_day(span.end, tz)


def cover_days(span: Span, tz: ZoneInfo) -> DayCover:
    first, stop = _first_whole_day(span, tz), _end_whole_day(span, tz)
    if first >= stop:
        return DayCover(None, (span,) if span.duration else ())
    head = Span(span.start, local_midnight(first, tz))
    tail = Span(local_midnight(stop, tz), span.end)
    edges = tuple(edge for edge in (head, tail) if edge.duration)
    return DayCover((first, stop - timedelta(days=1)), edges)


def cover_months(span: Span, tz: ZoneInfo) -> MonthCover:
    days = cover_days(span, tz)
    if days.days is None:
        return MonthCover(None, (), days.edges)
    first_day, last_day = days.days
    first_month = first_day if first_day.day == 1 else add_months(first_day.replace(day=1), 1)
    stop_month = (
        add_months(last_day.replace(day=1), 1)
        if _is_month_end(last_day)
        else last_day.replace(day=1)
    )
    if first_month >= stop_month:
        return MonthCover(None, (days.days,), days.edges)
    loose = []
    if first_day < first_month:
        loose.append((first_day, first_month - timedelta(days=1)))
    if stop_month <= last_day:
        loose.append((stop_month, last_day))
    return MonthCover((first_month, add_months(stop_month, -1)), tuple(loose), days.edges)


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def bucket_end(moment: datetime, tz: ZoneInfo, grain: Grain) -> datetime | None:
    """The end of the local day (month, year) holding ``moment``; none when ``moment``
    starts it."""
    day = local_day(moment, tz)
    start = {
        Grain.DAY: day,
        Grain.MONTH: day.replace(day=1),
        Grain.YEAR: day.replace(month=1, day=1),
    }[grain]
    if local_midnight(start, tz) == moment:
        return None
    stop = {
        Grain.DAY: start + timedelta(days=1),
        Grain.MONTH: add_months(start, 1),
        Grain.YEAR: add_months(start, 12),
    }[grain]
    return local_midnight(stop, tz)


async def widen_quiet_tail(session: AsyncSession, span: Span, tz: ZoneInfo, *grains: Grain) -> Span:
    """``span`` reaching to the end of its last local bucket of the first of ``grains``
    (widest first: a year, then a month) that holds no order past the span's end.

    One index read on ``orders.ordered_at``, whatever the number of grains.
    """
    stops = [stop for grain in grains if (stop := bucket_end(span.end, tz, grain)) is not None]
    if not stops:
        return span
    later = select(func.min(Order.ordered_at)).where(
        Order.ordered_at >= span.end, Order.ordered_at < max(stops)
    )
    next_order = (await session.execute(later)).scalar_one()
    for stop in stops:
        if next_order is None or next_order >= stop:
            return Span(span.start, stop)
    return span


async def cover_quiet_days(session: AsyncSession, span: Span, tz: ZoneInfo) -> DayCover:
    """:func:`cover_days` of ``span`` with a quiet last day read as a whole one."""
    return cover_days(await widen_quiet_tail(session, span, tz, Grain.DAY), tz)
