"""Reporting periods, defined once.

A period is a half-open UTC interval ``[start, end)`` whose edges are local midnights in
the business time zone, except that the running periods (TODAY, WEEK, MONTH, QUARTER,
YEAR) end at *now*. Days are calendar days in that zone, so a day with a daylight-saving
change lasts 23 or 25 hours.

Comparison spans:

* ``PREVIOUS_PERIOD``: the span of equal length that ends where this one starts.
* ``PREVIOUS_YEAR``: the same local calendar span one year earlier (29 February maps
  to 28 February).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from shopx.bounds import MAX_DATE, MIN_DATE
from shopx.calendar import add_months, local_day, local_midnight, month_start
from shopx.errors import BadInput


class Period(enum.StrEnum):
    TODAY = "TODAY"
    YESTERDAY = "YESTERDAY"
    WEEK = "WEEK"
    LAST_WEEK = "LAST_WEEK"
    MONTH = "MONTH"
    LAST_MONTH = "LAST_MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"
    CUSTOM = "CUSTOM"


class Comparison(enum.StrEnum):
    PREVIOUS_PERIOD = "PREVIOUS_PERIOD"
    PREVIOUS_YEAR = "PREVIOUS_YEAR"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open UTC interval ``[start, end)``."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("span edges must be timezone-aware")
        if self.end < self.start:
            raise ValueError(f"span ends before it starts: {self.start} .. {self.end}")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def days_span(first: date, last: date, tz: ZoneInfo) -> Span:
    """Local calendar days ``first`` through ``last``, both inclusive, within the supported
    dates (past them, date arithmetic here and in comparisons would overflow)."""
    for day in (first, last):
        if not MIN_DATE <= day <= MAX_DATE:
            raise BadInput(
                f"dates must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()},"
                f" got {day.isoformat()}"
            )
    if last < first:
        raise BadInput(f"the range starts after it ends: {first.isoformat()} > {last.isoformat()}")
    return Span(local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz))


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def resolve(
    period: Period,
    *,
    now: datetime,
    tz: ZoneInfo,
    date_range: tuple[date, date] | None = None,
) -> Span:
    """The UTC span of ``period`` as seen at ``now`` in the business time zone ``tz``."""
    if period is Period.CUSTOM:
        if date_range is None:
            raise BadInput("period CUSTOM needs a dateRange with startDate and endDate")
        return days_span(*date_range, tz)
    today = local_day(now, tz)
    running_from = {
        Period.TODAY: today,
        Period.WEEK: today - timedelta(days=today.weekday()),
        Period.MONTH: month_start(today),
        Period.QUARTER: _quarter_start(today),
        Period.YEAR: date(today.year, 1, 1),
    }
    if period in running_from:
        return Span(local_midnight(running_from[period], tz), now.astimezone(UTC))
    if period is Period.YESTERDAY:
        return days_span(today - timedelta(days=1), today - timedelta(days=1), tz)
    if period is Period.LAST_WEEK:
        monday = today - timedelta(days=today.weekday() + 7)
        return days_span(monday, monday + timedelta(days=6), tz)
    if period is Period.LAST_MONTH:
        return days_span(add_months(today, -1), month_start(today) - timedelta(days=1), tz)
    raise BadInput(f"unknown period {period!r}")


def _year_earlier(moment: datetime, tz: ZoneInfo) -> datetime:
    local = moment.astimezone(tz).replace(tzinfo=None)
    try:
        shifted = local.replace(year=local.year - 1)
    except ValueError:  # 29 February
        shifted = local.replace(year=local.year - 1, day=28)
    return shifted.replace(tzinfo=tz).astimezone(UTC)


def comparison_span(span: Span, comparison: Comparison, tz: ZoneInfo) -> Span:
    """The span that ``span`` is compared against."""
    if comparison is Comparison.PREVIOUS_PERIOD:
        return Span(span.start - span.duration, span.start)
    return Span(_year_earlier(span.start, tz), _year_earlier(span.end, tz))
