"""Series and date ranges stay within their bounds: past them the caller gets BAD_USER_INPUT
naming the bound, never an overflow or a megabyte series."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from shopx.analytics.buckets import MAX_POINTS, Granularity, buckets
from shopx.analytics.periods import days_span
from shopx.bounds import MAX_DATE, MIN_DATE
from shopx.errors import BadInput

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("granularity", "last"),
    [
        (Granularity.DAY, date(2020, 1, 1) + timedelta(days=MAX_POINTS - 1)),
        (Granularity.WEEK, date(2019, 12, 30) + timedelta(weeks=MAX_POINTS) - timedelta(days=1)),
        (
            Granularity.MONTH,
            date(2020 + MAX_POINTS // 12, 1 + MAX_POINTS % 12, 1) - timedelta(days=1),
        ),
    ],
)
def test_a_series_at_the_cap_is_cut_and_one_bucket_more_is_refused(granularity, last) -> None:
    first = date(2019, 12, 30) if granularity is Granularity.WEEK else date(2020, 1, 1)

    assert len(buckets(days_span(first, last, NY), granularity, NY)) == MAX_POINTS
    past = last + timedelta(days=1)
    with pytest.raises(BadInput, match=f"{MAX_POINTS + 1} points, more than the limit of 1100"):
        buckets(days_span(first, past, NY), granularity, NY)


def test_a_day_series_over_a_century_is_refused_before_any_bucket_is_made() -> None:
    with pytest.raises(BadInput, match=r"a DAY series over 1970-01-01 \.\. 2069-12-31 has 36525 "):
        buckets(days_span(date(1970, 1, 1), date(2069, 12, 31), NY), Granularity.DAY, NY)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (date(1, 1, 1), date(1, 12, 31), "got 0001-01-01"),
        (date(9999, 1, 1), date(9999, 12, 31), "got 9999-01-01"),
        (MIN_DATE - timedelta(days=1), MIN_DATE, "got 1969-12-31"),
        (MAX_DATE, MAX_DATE + timedelta(days=1), "got 3000-01-01"),
        (date(2025, 2, 1), date(2025, 1, 1), "starts after it ends"),
    ],
)
def test_dates_outside_the_supported_range_are_bad_input(first, last, message) -> None:
    with pytest.raises(BadInput, match=message):
        days_span(first, last, NY)


def test_the_whole_supported_range_is_a_span() -> None:
    span = days_span(MIN_DATE, MAX_DATE, NY)

    assert span.start < span.end
