"""The closed periods a report is made of, cut in the business time zone.

A daily report covers one local day, a weekly one an ISO week (Monday to Sunday), a
monthly one a calendar month. A period is closed once its last local day has ended. The
reports job owes the latest closed period of each kind and, so that a server stopped for a
while catches up, the closed periods before it back to :data:`CATCH_UP` of them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shopx.analytics.periods import Span, days_span
from shopx.calendar import add_months, local_day, month_start


class ReportKind(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


CATCH_UP = {ReportKind.DAILY: 7, ReportKind.WEEKLY: 4, ReportKind.MONTHLY: 3}
"""How many of the latest closed periods of each kind a run makes sure are reported."""


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """Local days ``first`` up to ``end`` (exclusive) of one kind."""

    kind: ReportKind
    first: date
    end: date

    @property
    def last(self) -> date:
        """The period's last day (inclusive), as a CUSTOM ``dateRange`` takes it."""
        return self.end - timedelta(days=1)

    def span(self, tz: ZoneInfo) -> Span:
        """The UTC span of the period: what the API's CUSTOM period of the same days covers."""
        return days_span(self.first, self.last, tz)

    @property
    def label(self) -> str:
        """Names the period in a file name or a subject: 2026-11-29, 2026-W48, 2026-11."""
        if self.kind is ReportKind.MONTHLY:
            return self.first.strftime("%Y-%m")
        if self.kind is ReportKind.WEEKLY:
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        return self.first.isoformat()


def _start_of(kind: ReportKind, day: date) -> date:
    """The first day of the period of ``kind`` holding ``day``."""
    if kind is ReportKind.MONTHLY:
        return month_start(day)
    if kind is ReportKind.WEEKLY:
        return day - timedelta(days=day.weekday())
    return day


def _step_back(kind: ReportKind, start: date) -> date:
    """The first day of the period before the one starting on ``start``."""
    if kind is ReportKind.MONTHLY:
        return add_months(start, -1)
    return start - timedelta(days=7 if kind is ReportKind.WEEKLY else 1)


def closed_periods(kind: ReportKind, now: datetime, tz: ZoneInfo, count: int) -> list[ReportPeriod]:
    """The latest ``count`` periods of ``kind`` that have ended by ``now``, oldest first."""
    end = _start_of(kind, local_day(now, tz))
    periods = []
    for _ in range(count):
        start = _step_back(kind, end)
        periods.append(ReportPeriod(kind, start, end))
        end = start
    return periods[::-1]


def due_periods(now: datetime, tz: ZoneInfo) -> list[ReportPeriod]:
    """Every period a run at ``now`` makes sure is reported (:data:`CATCH_UP` per kind)."""
    return [
        period
        for kind, count in CATCH_UP.items()
        for period in closed_periods(kind, now, tz, count)
    ]
