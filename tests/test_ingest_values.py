"""Amounts and dates as sales files write them: every accepted form, and the refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopx.calendar import local_midnight
from shopx.ingest.amounts import AmountError, decimal_vote, to_cents, to_quantity
from shopx.ingest.dates import AMBIGUOUS, DMY, MDY, DateError, DateReader, order_vote

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "decimal", "cents"),
    [
        ("5.99", ".", 599),
        ("5", ".", 500),
        ("$1,234.56", ".", 123456),
        ("1,234,567.8", ".", 123456780),
        ("€ 12.5", ".", 1250),
        ("12.50 €", ".", 1250),
        ("£0.99", ".", 99),
        ("¥1200", ".", 120000),
        ("USD 5.00", ".", 500),
        ("5.00 EUR", ".", 500),
        ("(5.00)", ".", -500),
        ("-5.00", ".", -500),
        ("$-5.00", ".", -500),
        ("-$5.00", ".", -500),
        ("5.00-", ".", -500),
        ("(USD 1,000.00)", ".", -100000),
        ("+7", ".", 700),
        ("1.50000", ".", 150),
        (".5", ".", 50),
        ("1.234,56", ",", 123456),
        ("1 234,56", ",", 123456),
        ("1\u00a0234,56", ",", 123456),
        ("12,5", ",", 1250),
        ("1.234.567", ",", 123456700),
        ("-1.234,50 €", ",", -123450),
        ("1'234.56", ".", 123456),
        ("1,234", None, 123400),
        ("1.234", None, 123400),
        ("1,234.56", None, 123456),
        ("1.234,56", None, 123456),
    ],
)
def test_amounts_in_cents(text: str, decimal: str | None, cents: int) -> None:
    assert to_cents(text, decimal) == cents


@pytest.mark.parametrize(
    ("text", "decimal", "reason"),
    [
        ("1.005", ".", "more than two decimals"),
        ("12,345", ",", "more than two decimals"),
        ("abc", ".", "not a number"),
        ("$", ".", "no number"),
        ("1,23.45", ".", "misplaced thousands separator"),
        ("12.50", ",", "misplaced thousands separator"),
        ("1e5", ".", "not a number"),
        ("5.5.5", ".", "not a number"),
    ],
)
def test_amounts_refused(text: str, decimal: str | None, reason: str) -> None:
    with pytest.raises(AmountError, match=reason):
        to_cents(text, decimal)


@given(
    cents=st.integers(min_value=-(10**12), max_value=10**12),
    decimal=st.sampled_from([".", ","]),
    grouped=st.booleans(),
    symbol=st.sampled_from(["", "$", "€ ", " EUR"]),
)
def test_amounts_round_trip(cents: int, decimal: str, grouped: bool, symbol: str) -> None:
    whole, part = divmod(abs(cents), 100)
    grouping = "," if decimal == "." else "."
    digits = f"{whole:,}".replace(",", grouping) if grouped else str(whole)
    number = f"{digits}{decimal}{part:02d}"
    text = f"{symbol}{number}" if symbol.endswith(" ") or symbol == "$" else number + symbol
    text = f"({text})" if cents < 0 else text
    assert to_cents(text.strip(), decimal) == cents


@pytest.mark.parametrize(
    ("text", "vote"),
    [
        ("5.99", "."),
        ("12,5", ","),
        ("1,234.56", "."),
        ("1.234,56", ","),
        ("1,234,567", "."),
        ("1.234.567", ","),
        ("1,234", None),
        ("1.234", None),
        ("12", None),
    ],
)
def test_decimal_votes(text: str, vote: str | None) -> None:
    assert decimal_vote(text) == vote


@pytest.mark.parametrize(("text", "count"), [("1", 1), ("12", 12), ("2.0", 2), ("1,000", 1000)])
def test_quantities(text: str, count: int) -> None:
    assert to_quantity(text, ".") == count


@pytest.mark.parametrize("text", ["0", "-1", "2.5", "x", "0.0"])
def test_quantities_refused(text: str) -> None:
    with pytest.raises(AmountError):
        to_quantity(text, ".")


@pytest.mark.parametrize(
    ("text", "vote"),
    [
        ("15/01/2024", DMY),
        ("01/15/2024", MDY),
        ("01/02/2024", AMBIGUOUS),
        ("05/05/2024", None),
        ("2024-01-02", None),
        ("Jan 2 2024", None),
        ("25.12.2024 10:00", DMY),
    ],
)
def test_date_order_votes(text: str, vote: str | None) -> None:
    assert order_vote(text) == vote


def midnight(year: int, month: int, day: int, tz: ZoneInfo = PARIS) -> datetime:
    return local_midnight(date(year, month, day), tz)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2024-01-15", None, midnight(2024, 1, 15)),
        ("2024/01/15", None, midnight(2024, 1, 15)),
        ("2024-1-5", None, midnight(2024, 1, 5)),
        ("2024/1/5 9:30", None, datetime(2024, 1, 5, 8, 30, tzinfo=UTC)),
        ("15/01/2024", DMY, midnight(2024, 1, 15)),
        ("01/15/2024", MDY, midnight(2024, 1, 15)),
        ("15.01.2024", DMY, midnight(2024, 1, 15)),
        ("1/2/2024", DMY, midnight(2024, 2, 1)),
        ("1/2/2024", MDY, midnight(2024, 1, 2)),
        ("25/01/2024", None, midnight(2024, 1, 25)),
        ("Jan 15 2024", None, midnight(2024, 1, 15)),
        ("15 Jan 2024", None, midnight(2024, 1, 15)),
        ("January 15, 2024", None, midnight(2024, 1, 15)),
        ("15-Jan-2024", None, midnight(2024, 1, 15)),
        ("Sept 3 2024", None, midnight(2024, 9, 3)),
        ("2024-01-15 13:45", None, datetime(2024, 1, 15, 12, 45, tzinfo=UTC)),
        ("2024-01-15T13:45:30", None, datetime(2024, 1, 15, 12, 45, 30, tzinfo=UTC)),
        ("2024-01-15T13:45:00+02:00", None, datetime(2024, 1, 15, 11, 45, tzinfo=UTC)),
        ("2024-01-15T13:45Z", None, datetime(2024, 1, 15, 13, 45, tzinfo=UTC)),
        ("2024-07-15 13:45", None, datetime(2024, 7, 15, 11, 45, tzinfo=UTC)),
        ("15/01/2024 13:45", DMY, datetime(2024, 1, 15, 12, 45, tzinfo=UTC)),
        ("01/15/2024 1:45 PM", MDY, datetime(2024, 1, 15, 12, 45, tzinfo=UTC)),
        ("01/15/2024 12:05 AM", MDY, datetime(2024, 1, 14, 23, 5, tzinfo=UTC)),
        ("Jan 15, 2024 13:45", None, datetime(2024, 1, 15, 12, 45, tzinfo=UTC)),
    ],
)
def test_dates(text: str, order: str | None, expected: datetime) -> None:
    moment = DateReader(PARIS, order)(text)  # type: ignore[arg-type]
    assert moment == expected
    assert moment.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30",
        "2024-2-30",
        "2024-1-5-6",
        "2024-01-15 9",
        "31/02/2024",
        "13/13/2024",
        "Foo 15 2024",
        "15 Jan",
        "2024-01-15 25:00",
        "0024-01-15",
        "01/15/24",
        "yesterday",
        "15/01/2024 13:45 XM",
    ],
)
def test_dates_refused(text: str) -> None:
    with pytest.raises(DateError):
        DateReader(PARIS, DMY)(text)


def test_an_ambiguous_date_without_an_order_is_refused() -> None:
    with pytest.raises(DateError, match="ambiguous"):
        DateReader(PARIS, None)("01/02/2024")


def test_a_day_first_file_refuses_a_month_first_date() -> None:
    with pytest.raises(DateError, match="day first"):
        DateReader(PARIS, DMY)("01/25/2024")


@given(
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)),
    zone=st.sampled_from(["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "UTC"]),
)
def test_wall_times_are_read_in_the_business_zone(moment: datetime, zone: str) -> None:
    """The hourly offset cache gives what the zone's rules give, across DST changes."""
    tz = ZoneInfo(zone)
    moment = moment.replace(microsecond=0)
    reader = DateReader(tz, DMY)
    expected = moment.replace(tzinfo=tz).astimezone(UTC)
    assert reader(moment.isoformat(sep=" ")) == expected
    assert reader(moment.strftime("%d/%m/%Y %H:%M:%S")) == expected
    assert reader(moment.date().isoformat()) == local_midnight(moment.date(), tz)


def test_a_skipped_wall_time_reads_with_the_offset_before_the_change() -> None:
    # 2024-03-10 02:30 does not exist in New York (clocks go 02:00 -> 03:00).
    moment = DateReader(NEW_YORK, None)("2024-03-10 02:30")
    assert moment == datetime.combine(date(2024, 3, 10), time(7, 30), UTC)
    assert moment - DateReader(NEW_YORK, None)("2024-03-10 01:30") == timedelta(hours=1)
