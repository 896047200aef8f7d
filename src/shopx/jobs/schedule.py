"""When jobs run: five-field cron expressions read in the business time zone.

A job's default schedule is in its registry entry; ``SHOPX_JOB_SCHEDULES`` overrides any of
them (``segments=0 4 * * *,maintenance=off``). The embedded scheduler and Celery beat read
the same :class:`Schedule`: the scheduler asks :meth:`Schedule.next_after`, beat gets
:meth:`Schedule.crontab_fields` with the business time zone as its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from croniter import CroniterError, croniter

from shopx.errors import BadInput

OFF = "off"
"""The schedule of a job that runs only when asked."""

_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_PLAIN_ITEM = re.compile(r"(\*|[0-9]+|[A-Za-z]{3})(-([0-9]+|[A-Za-z]{3}))?(/[0-9]+)?")
"""One item of a cron field's list in plain cron: ``*``, a number or a day or month name,
a range, a step. Not croniter's extensions: ``R`` picks a new random time each time the
schedule is read (the next run moved on every look), and ``L``, ``W``, ``#``, ``?`` mean
nothing to Celery beat's crontab."""


@dataclass(frozen=True)
class Schedule:
    cron: str
    """minute hour day-of-month month day-of-week, in the business time zone."""

    def next_after(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """The first time strictly after ``moment`` that the schedule names, in UTC.

        As cron does, a schedule at fixed hours fires once when the clocks go back: the
        second pass through the repeated hour is skipped (a daily 01:30 runs at the first
        01:30); a schedule over every hour (``*/5 * * * *``) fires in both passes."""
        times = croniter(self.cron, moment.astimezone(tz))
        while True:
            local = times.get_next(datetime)
            if not (local.fold and self._fixed_hours() and _repeated(local)):
                return local.astimezone(UTC)

    def _fixed_hours(self) -> bool:
        return self.cron.split()[1] != "*"

    def latest_at_or_before(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """The last time at or before ``moment`` that the schedule names, in UTC."""
        local = moment.astimezone(tz)
        if croniter.match(self.cron, local) and local.second == local.microsecond == 0:
            return moment.astimezone(UTC)
        return croniter(self.cron, local).get_prev(datetime).astimezone(UTC)

    def crontab_fields(self) -> dict[str, str]:
        """The schedule as Celery's ``crontab`` keyword arguments."""
        minute, hour, day_of_month, month_of_year, day_of_week = self.cron.split()
        return {
            "minute": minute,
            "hour": hour,
            "day_of_month": day_of_month,
            "month_of_year": month_of_year,
            "day_of_week": day_of_week,
        }

    def describe(self) -> str:
        """Words for the common shapes ("daily 03:00", "every 10 min"), else the cron text."""
        minute, hour, day_of_month, month, weekday = self.cron.split()
        if (hour, day_of_month, month, weekday) == ("*", "*", "*", "*"):
            if minute.startswith("*/"):
                return f"every {minute[2:]} min"
            if minute.isdigit():
                return f"hourly at :{int(minute):02d}"
        if not (minute.isdigit() and hour.isdigit() and month == "*"):
            return self.cron
        at = f"{int(hour):02d}:{int(minute):02d}"
        if (day_of_month, weekday) == ("*", "*"):
            return f"daily {at}"
        if day_of_month == "*" and weekday.isdigit() and int(weekday) <= 7:
            return f"weekly {_DAYS[int(weekday) % 7]} {at}"
        if weekday == "*" and day_of_month.isdigit():
            return f"monthly on day {int(day_of_month)} {at}"
        return self.cron


def parse_schedule(text: str) -> Schedule | None:
    """A cron expression as a :class:`Schedule`; ``off`` as None. BadInput otherwise."""
    cron = " ".join(text.split())
    if cron.lower() == OFF:
        return None
    fields = cron.split()
    plain = all(_PLAIN_ITEM.fullmatch(item) for field in fields for item in field.split(","))
    if len(fields) != 5 or not plain or not croniter.is_valid(cron):
        raise BadInput(
            f"schedule {text!r} is not a five-field cron expression (minute hour day month"
            f" weekday, e.g. '0 3 * * *') or 'off'"
        )
    try:
        croniter(cron).get_next(datetime)
    except CroniterError as exc:
        raise BadInput(f"schedule {text!r} never fires: {exc}") from None
    return Schedule(cron)


def _repeated(local: datetime) -> bool:
    """Is ``local`` (fold 1) the second pass through a wall-clock time the clocks went back
    over? Its first pass has another offset."""
    return local.replace(fold=0).utcoffset() != local.utcoffset()
