"""Cutting a span into the local hours, days, weeks or months of a series."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shopx.analytics.periods import Period, Span
from shopx.calendar import add_months, local_day, local_midnight
from shopx.errors import BadInput

MAX_HOURLY_SPAN = timedelta(days=7)
MAX_POINTS = 1100
"""Most buckets in one series: DAY over three years, WEEK over 21, MONTH over 91. Past it an
answer is megabytes that no chart can show, and every bucket costs work."""


class Granularity(enum.StrEnum):
    HOUR = "HOUR"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


@dataclass(frozen=True, slots=True)
class Bucket:
    span: Span
    key: date | datetime
    """The local day, Monday or first of month that names a DAY/WEEK/MONTH bucket; the
    bucket's UTC start for HOUR."""
    label: str


DEFAULTS = {
    Period.TODAY: Granularity.HOUR,
    Period.YESTERDAY: Granularity.HOUR,
    Period.WEEK: Granularity.DAY,
    Period.LAST_WEEK: Granularity.DAY,
    Period.MONTH: Granularity.DAY,
    Period.LAST_MONTH: Granularity.DAY,
    Period.QUARTER: Granularity.WEEK,
    Period.YEAR: Granularity.MONTH,
}


def default_granularity(period: Period, span: Span) -> Granularity:
    if period in DEFAULTS:
        return DEFAULTS[period]
    if span.duration <= timedelta(days=2):
        return Granularity.HOUR
    if span.duration <= timedelta(days=92):
        return Granularity.DAY
    return Granularity.WEEK if span.duration <= timedelta(days=200) else Granularity.MONTH


def bucket_key(day: date, granularity: Granularity) -> date:
    """The name of the DAY, WEEK or MONTH bucket holding a local day."""
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day


def _next_key(key: date, granularity: Granularity) -> date:
    if granularity is Granularity.WEEK:
        return key + timedelta(days=7)
    if granularity is Granularity.MONTH:
        return add_months(key, 1)
    return key + timedelta(days=1)


def _label(key: date, granularity: Granularity) -> str:
    if granularity is Granularity.MONTH:
        return key.strftime("%b %Y")
    if granularity is Granularity.WEEK:
        return f"Week of {key.isoformat()}"
    return key.isoformat()


def buckets(span: Span, granularity: Granularity, tz: ZoneInfo) -> list[Bucket]:
    """The buckets covering ``span``; the first and last are cut to the span's edges."""
    if not span.duration:
        return []
    if granularity is Granularity.HOUR:
        return _hours(span, tz)
    first, last = local_day(span.start, tz), local_day(span.end - timedelta(microseconds=1), tz)
    count = _count(first, last, granularity)
    if count > MAX_POINTS:
        raise BadInput(
            f"a {granularity.value} series over {first.isoformat()} .. {last.isoformat()} has"
            f" {count} points, more than the limit of {MAX_POINTS}; choose a coarser"
            " granularity or a shorter period"
        )
    result = []
    key = bucket_key(local_day(span.start, tz), granularity)
    while (start := local_midnight(key, tz)) < span.end:
        following = _next_key(key, granularity)
        edges = Span(max(start, span.start), min(local_midnight(following, tz), span.end))
        result.append(Bucket(edges, key, _label(key, granularity)))
        key = following
    return result


def _count(first: date, last: date, granularity: Granularity) -> int:
    """Buckets holding the local days ``first`` through ``last``."""
    if granularity is Granularity.MONTH:
        return (last.year - first.year) * 12 + last.month - first.month + 1
    step = 7 if granularity is Granularity.WEEK else 1
    return (bucket_key(last, granularity) - bucket_key(first, granularity)).days // step + 1


def _hours(span: Span, tz: ZoneInfo) -> list[Bucket]:
    if span.duration > MAX_HOURLY_SPAN:
        raise BadInput("HOUR granularity covers at most 7 days; choose DAY or a shorter period")
    local = span.start.astimezone(tz)
    start = local.replace(minute=0, second=0, microsecond=0).astimezone(span.start.tzinfo)
    result = []
    while start < span.end:
        following = start + timedelta(hours=1)
        edges = Span(max(start, span.start), min(following, span.end))
        label = start.astimezone(tz).strftime("%Y-%m-%d %H:00")
        result.append(Bucket(edges, start, label))
        start = following
    return result
