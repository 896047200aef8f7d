from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from shopx.analytics.periods import Span
from shopx.analytics.spans import Grain, bucket_end, cover_days, cover_months, widen_quiet_tail
from shopx.calendar import local_midnight
from shopx.db.engine import session_factory
from tests import factories

NY = ZoneInfo("America/New_York")
UTCZ = ZoneInfo("UTC")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_whole_days_only():
    span = Span(utc(2026, 11, 1), utc(2026, 11, 4))
    assert cover_days(span, UTCZ).days == (date(2026, 11, 1), date(2026, 11, 3))
    assert cover_days(span, UTCZ).edges == ()


def test_running_period_leaves_today_as_a_raw_edge():
    span = Span(utc(2026, 11, 1), utc(2026, 11, 21, 15, 30))
    cover = cover_days(span, UTCZ)
    assert cover.days == (date(2026, 11, 1), date(2026, 11, 20))
    assert cover.edges == (Span(utc(2026, 11, 21), utc(2026, 11, 21, 15, 30)),)


def test_mid_day_start_becomes_a_head_edge_in_local_time():
    start = utc(2026, 10, 11, 8, 30)
    span = Span(start, local_midnight(date(2026, 11, 1), NY))
    cover = cover_days(span, NY)
    assert cover.days == (date(2026, 10, 12), date(2026, 10, 31))
    assert cover.edges == (Span(start, local_midnight(date(2026, 10, 12), NY)),)


def test_span_inside_one_day_is_all_edge():
    span = Span(utc(2026, 11, 21), utc(2026, 11, 21, 9))
    assert cover_days(span, UTCZ).days is None
    assert cover_days(span, UTCZ).edges == (span,)


def test_months_with_loose_days_on_both_sides():
    span = Span(utc(2026, 1, 15), utc(2026, 4, 10, 12))
    cover = cover_months(span, UTCZ)
    assert cover.months == (date(2026, 2, 1), date(2026, 3, 1))
    assert cover.days == (
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 4, 1), date(2026, 4, 9)),
    )
    assert cover.edges == (Span(utc(2026, 4, 10), utc(2026, 4, 10, 12)),)


def test_a_whole_month_exactly():
    span = Span(local_midnight(date(2026, 10, 1), NY), local_midnight(date(2026, 11, 1), NY))
    cover = cover_months(span, NY)
    assert cover.months == (date(2026, 10, 1), date(2026, 10, 1))
    assert cover.days == () and cover.edges == ()


def test_less_than_a_month_is_days():
    span = Span(utc(2026, 11, 1), utc(2026, 11, 21, 15))
    cover = cover_months(span, UTCZ)
    assert cover.months is None
    assert cover.days == ((date(2026, 11, 1), date(2026, 11, 20)),)


def test_bucket_end_is_the_next_local_boundary():
    at = utc(2026, 11, 21, 15, 30)
    assert bucket_end(at, UTCZ, Grain.DAY) == utc(2026, 11, 22)
    assert bucket_end(at, UTCZ, Grain.MONTH) == utc(2026, 12, 1)
    assert bucket_end(at, NY, Grain.MONTH) == local_midnight(date(2026, 12, 1), NY)


def test_bucket_end_of_a_boundary_is_none():
    assert bucket_end(utc(2026, 11, 21), UTCZ, Grain.DAY) is None
    assert bucket_end(utc(2026, 11, 21), UTCZ, Grain.MONTH) == utc(2026, 12, 1)
    assert bucket_end(local_midnight(date(2026, 11, 1), NY), NY, Grain.MONTH) is None


def test_bucket_end_on_a_daylight_saving_day_is_25_hours_on():
    start = local_midnight(date(2026, 11, 1), NY)  # New York falls back that morning
    later = start + timedelta(hours=1)
    assert bucket_end(later, NY, Grain.DAY) == start + timedelta(hours=25)


async def test_a_quiet_tail_widens_and_a_later_order_keeps_the_span(engine):
    factory = session_factory(engine)
    running = Span(utc(2026, 11, 1), utc(2026, 11, 21, 15, 30))
    async with factory() as session:
        assert await widen_quiet_tail(session, running, UTCZ, Grain.DAY) == Span(
            running.start, utc(2026, 11, 22)
        )
        assert await widen_quiet_tail(session, running, UTCZ, Grain.MONTH) == Span(
            running.start, utc(2026, 12, 1)
        )
        shop = await factories.category(session)
        item = await factories.product(session, category=shop)
        buyer = await factories.customer(session)
        await factories.order(
            session, customer=buyer, lines=[(item, 1)], at=utc(2026, 11, 28), status="CANCELLED"
        )
        assert await widen_quiet_tail(session, running, UTCZ, Grain.DAY) == Span(
            running.start, utc(2026, 11, 22)
        )
        assert await widen_quiet_tail(session, running, UTCZ, Grain.MONTH) == running
        await factories.order(session, customer=buyer, lines=[(item, 1)], at=running.end)
        assert await widen_quiet_tail(session, running, UTCZ, Grain.DAY) == running
