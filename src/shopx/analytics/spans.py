"""Cutting a UTC span into what rollups can answer and what raw rows must.

Day rollups answer the local days that lie wholly inside a span; the partial days at
its edges (a running period ends at *now*; a previous period may start mid-day) come
from raw rows. Month rollups likewise answer whole local months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from shopx.analytics.periods import Span, local_day, local_midnight
from shopx.db.partitions import add_months


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
