"""Calendar arithmetic shared by the layers: local days in the business time zone, months,
and UTC timestamps as whole microseconds since 1970.

Low in the stack (standard library only), so that the database's partitions, the rollups
and the analytics cut days and step months the same way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar day in ``tz`` of an aware instant."""
    return moment.astimezone(tz).date()


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``tz``, in UTC (a midnight skipped by DST moves on)."""
    naive = datetime.combine(day, time())
    moment = naive.replace(tzinfo=tz)
    # A wall time inside a DST gap does not exist; round-tripping through UTC yields
    # the first existing instant after it.
    return moment.astimezone(UTC).astimezone(tz).astimezone(UTC)


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month``'s (before, if negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def epoch_micros(moment: datetime) -> int:
    """An aware timestamp as whole microseconds since 1970 (exact, unlike ``timestamp()``)."""
    return (moment - UNIX_EPOCH) // MICROSECOND


def from_epoch_micros(micros: int) -> datetime:
    """The UTC timestamp :func:`epoch_micros` made ``micros`` of."""
    return UNIX_EPOCH + micros * MICROSECOND


QUARTER_HOUR = timedelta(minutes=15)
"""The grain of the order rollup kept for partial days (cut in UTC)."""


def quarter_hour_of(moment: datetime) -> int:
    """The quarter of an hour holding ``moment``, as quarters since 1970-01-01 00:00 UTC."""
    return (moment - UNIX_EPOCH) // QUARTER_HOUR


def quarter_hour_start(quarter: int) -> datetime:
    """The UTC instant quarter ``quarter`` (:func:`quarter_hour_of`) starts at."""
    return UNIX_EPOCH + quarter * QUARTER_HOUR
