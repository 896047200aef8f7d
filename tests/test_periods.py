from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shopx.analytics.periods import Comparison, Period, Span, comparison_span, resolve
from shopx.calendar import local_day, local_midnight
from shopx.errors import BadInput

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)  # a Saturday


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period.TODAY, utc(2026, 11, 21), NOW),
        (Period.YESTERDAY, utc(2026, 11, 20), utc(2026, 11, 21)),
        (Period.WEEK, utc(2026, 11, 16), NOW),
        (Period.LAST_WEEK, utc(2026, 11, 9), utc(2026, 11, 16)),
        (Period.MONTH, utc(2026, 11, 1), NOW),
        (Period.LAST_MONTH, utc(2026, 10, 1), utc(2026, 11, 1)),
        (Period.QUARTER, utc(2026, 10, 1), NOW),
        (Period.YEAR, utc(2026, 1, 1), NOW),
    ],
)
def test_periods_in_utc(period, start, end):
    assert resolve(period, now=NOW, tz=ZoneInfo("UTC")) == Span(start, end)


def test_periods_are_cut_at_local_midnight():
    # 02:00 UTC on 21 November is still 20 November in New York (UTC-5).
    now = utc(2026, 11, 21, 2)
    assert resolve(Period.TODAY, now=now, tz=NY) == Span(utc(2026, 11, 20, 5), now)
    assert resolve(Period.YESTERDAY, now=now, tz=NY) == Span(
        utc(2026, 11, 19, 5), utc(2026, 11, 20, 5)
    )


def test_last_month_across_a_dst_change_has_local_edges():
    # October 2026 in Berlin starts in summer time (UTC+2) and ends in winter time (UTC+1).
    span = resolve(Period.LAST_MONTH, now=NOW, tz=BERLIN)
    assert span == Span(utc(2026, 9, 30, 22), utc(2026, 10, 31, 23))
    assert span.duration == timedelta(days=31, hours=1)


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 8), 23), (date(2026, 11, 1), 25), (date(2026, 6, 1), 24)],
)
def test_new_york_days_around_dst_changes(day, hours):
    span = resolve(Period.CUSTOM, now=NOW, tz=NY, date_range=(day, day))
    assert span.duration == timedelta(hours=hours)
    assert local_day(span.start, NY) == day
    assert local_day(span.end - timedelta(microseconds=1), NY) == day


def test_custom_range_is_inclusive_of_both_dates():
    span = resolve(
        Period.CUSTOM, now=NOW, tz=ZoneInfo("UTC"), date_range=(date(2026, 1, 1), date(2026, 1, 31))
    )
    assert span == Span(utc(2026, 1, 1), utc(2026, 2, 1))


def test_custom_needs_a_range_and_an_ordered_one():
    with pytest.raises(BadInput, match="needs a dateRange"):
        resolve(Period.CUSTOM, now=NOW, tz=NY)
    with pytest.raises(BadInput, match="starts after it ends"):
        resolve(Period.CUSTOM, now=NOW, tz=NY, date_range=(date(2026, 2, 1), date(2026, 1, 1)))


def test_previous_period_is_equal_length_and_ends_where_this_starts():
    span = resolve(Period.MONTH, now=NOW, tz=NY)
    previous = comparison_span(span, Comparison.PREVIOUS_PERIOD, NY)
    assert previous.end == span.start
    assert previous.duration == span.duration


def test_previous_year_is_the_same_local_calendar_span():
    span = resolve(Period.LAST_MONTH, now=NOW, tz=NY)
    previous = comparison_span(span, Comparison.PREVIOUS_YEAR, NY)
    assert previous == Span(
        local_midnight(date(2025, 10, 1), NY), local_midnight(date(2025, 11, 1), NY)
    )


def test_previous_year_of_a_leap_day():
    span = resolve(
        Period.CUSTOM, now=NOW, tz=BERLIN, date_range=(date(2024, 2, 29), date(2024, 2, 29))
    )
    previous = comparison_span(span, Comparison.PREVIOUS_YEAR, BERLIN)
    assert previous.start == local_midnight(date(2023, 2, 28), BERLIN)


def test_midnight_skipped_by_dst_moves_to_the_first_existing_instant():
    # Santiago skipped 2024-09-08 00:00 (clocks went from 00:00 to 01:00).
    santiago = ZoneInfo("America/Santiago")
    start = local_midnight(date(2024, 9, 8), santiago)
    assert start.astimezone(santiago).hour == 1
    assert local_day(start, santiago) == date(2024, 9, 8)
