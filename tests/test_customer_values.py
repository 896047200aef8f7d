"""The customer metrics defined on the domain values, recomputed by hand from their counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from shopx.analytics.customers import CustomerMetrics, SegmentSummary
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.retention import Cohort, Retention
from shopx.db.models import Customer, Segment

NY = ReportingRules(tz=ZoneInfo("America/New_York"), statuses=("COMPLETED",))


def test_retention_rates_are_plain_ratios_of_the_previous_and_active_customers():
    view = Retention(active=8, new=3, previous=10, retained=4, repeat=2)
    assert (view.returning, view.churned) == (5, 6)
    assert view.retention_rate == 0.4
    assert view.churn_rate == 0.6
    assert view.repeat_purchase_rate == 0.25


def test_retention_rates_are_null_without_customers_to_divide_by():
    view = Retention(active=0, new=0, previous=0, retained=0, repeat=0)
    assert (view.retention_rate, view.churn_rate, view.repeat_purchase_rate) == (None, None, None)


def test_cohort_retention_is_each_months_share_of_the_cohort():
    assert Cohort(date(2026, 1, 1), 4, [4, 1, 3]).retention == [1.0, 0.25, 0.75]
    assert Cohort(date(2026, 2, 1), 3, [3, 1]).retention == [1.0, round(1 / 3, 6)]
    assert Cohort(date(2026, 3, 1), 0, [0]).retention == [None]


def test_segment_summary_averages_and_share():
    row = SegmentSummary(Segment.PREMIUM, 3, 10_000, 8, all_customers=12)
    assert row.average_lifetime_cents == Fraction(10_000, 3)
    assert row.average_order_cents == 1_250
    assert row.share == 25.0


def test_an_empty_segment_averages_zero_and_has_no_share_without_customers():
    row = SegmentSummary(Segment.NEW, 0, 0, 0, all_customers=0)
    assert (row.average_lifetime_cents, row.average_order_cents, row.share) == (0, 0, None)


def buyer(count: int, first: datetime | None, last: datetime | None) -> Customer:
    return Customer(
        name="Ann",
        email="ann@example.com",
        order_count=count,
        lifetime_value_cents=0,
        first_order_at=first,
        last_order_at=last,
    )


def test_customer_metrics_count_local_days_and_the_average_gap():
    first, last = datetime(2026, 1, 1, 12, tzinfo=UTC), datetime(2026, 3, 1, 4, tzinfo=UTC)
    now = datetime(2026, 3, 1, 6, tzinfo=UTC)  # 28 February 23:00 in New York, then 1 March
    view = CustomerMetrics(buyer(3, first, last), 3, 900, None, now, NY)
    assert view.average_order_cents == 300
    assert view.days_since_last_order == 1
    assert view.average_days_between_orders == round((last - first).total_seconds() / 86_400 / 2, 2)


def test_customer_metrics_without_enough_orders_are_null_or_zero():
    once = datetime(2026, 1, 1, 12, tzinfo=UTC)
    view = CustomerMetrics(buyer(1, once, once), 0, 0, None, once, NY)
    assert (view.average_order_cents, view.days_since_last_order) == (0, 0)
    assert view.average_days_between_orders is None
    never = CustomerMetrics(buyer(0, None, None), 0, 0, None, once, NY)
    assert (never.days_since_last_order, never.average_days_between_orders) == (None, None)
