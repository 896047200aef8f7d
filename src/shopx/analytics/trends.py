"""Series: a metric per local hour, day, week or month of a span."""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.buckets import Bucket, Granularity, bucket_key, buckets
from shopx.analytics.metrics import SalesTotals, average, growth, money, percentage
from shopx.analytics.periods import Comparison, Span, comparison_span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.sales import (
    edge_query,
    fold,
    fold_by_key,
    in_span,
    quarters_and_minutes,
    quarters_query,
    raw_query,
    rollup_query,
)
from shopx.analytics.spans import cover_quiet_days
from shopx.calendar import local_day, quarter_hour_start
from shopx.db.dialect import local_date, local_month, local_week
from shopx.db.models import Order
from shopx.rollups.tables import SalesDaily, SalesQuarterHourly


class Metric(enum.StrEnum):
    REVENUE = "REVENUE"
    ORDERS = "ORDERS"
    CUSTOMERS = "CUSTOMERS"
    AOV = "AOV"
    PROFIT = "PROFIT"
    MARGIN = "MARGIN"


BUCKET_SQL = {
    Granularity.DAY: local_date,
    Granularity.WEEK: local_week,
    Granularity.MONTH: local_month,
}


@dataclass(slots=True)
class Point:
    bucket: Bucket
    totals: SalesTotals = field(default_factory=SalesTotals)


def metric_value(totals: SalesTotals, metric: Metric) -> Decimal | None:
    """A metric of one bucket, exact: money with two places, margin in % with two places."""
    if metric is Metric.REVENUE:
        return money(totals.revenue_cents)
    if metric is Metric.ORDERS:
        return Decimal(totals.orders)
    if metric is Metric.CUSTOMERS:
        return Decimal(totals.customers)
    if metric is Metric.AOV:
        return money(totals.average_order_value)
    if metric is Metric.PROFIT:
        return money(totals.profit_cents)
    margin = totals.profit_margin
    return None if margin is None else Decimal(str(round(margin, 2)))


def item_metric_value(totals: SalesTotals, metric: Metric) -> Decimal | None:
    """A metric of one bucket of a product's order lines: item sales (before the orders'
    discounts) where an order-level series reads revenue, and item profit where it reads
    profit; AOV is item sales / orders, margin item profit / item sales."""
    if metric is Metric.REVENUE:
        return money(totals.item_sales_cents)
    if metric is Metric.AOV:
        return money(average(totals.item_sales_cents, totals.orders))
    if metric is Metric.PROFIT:
        return money(totals.item_profit_cents)
    if metric is Metric.MARGIN:
        margin = percentage(totals.item_profit_cents, totals.item_sales_cents)
        return None if margin is None else Decimal(str(round(margin, 2)))
    return metric_value(totals, metric)


@dataclass(frozen=True, slots=True)
class ComparedPoint:
    """One bucket's metric, next to the bucket before it and to the comparison series."""

    point: Point
    value: Decimal | None
    """The metric; null when undefined (a margin without revenue)."""
    last_value: Decimal | None
    """The bucket before's value; null for the first bucket."""
    previous_value: Decimal | None
    """The value of the bucket at the same position in the comparison series (bucket i of
    the comparison span); null without a comparison, past the comparison's last bucket, or
    when undefined there."""
    previous_orders: int | None
    """The order count of that comparison bucket; null without a comparison or past the
    comparison's last bucket."""

    @property
    def change(self) -> float | None:
        """Change vs the previous bucket, in %; null for the first bucket, when either value
        is undefined, or when the previous bucket's value is zero."""
        if self.value is None or self.last_value is None:
            return None
        return growth(self.value, self.last_value)


def compared(
    points: list[Point],
    previous: list[Point],
    metric: Metric,
    value_of: Callable[[SalesTotals, Metric], Decimal | None] = metric_value,
) -> list[ComparedPoint]:
    """Each point's ``metric`` with its change vs the point before it and the comparison's."""
    result: list[ComparedPoint] = []
    last: Decimal | None = None
    for index, point in enumerate(points):
        value = value_of(point.totals, metric)
        twin = previous[index].totals if index < len(previous) else None
        before = None if twin is None else value_of(twin, metric)
        orders = None if twin is None else twin.orders
        result.append(ComparedPoint(point, value, last, before, orders))
        last = value
    return result


async def series_compared(
    session: AsyncSession,
    span: Span,
    step: Granularity,
    rules: ReportingRules,
    *,
    metric: Metric,
    with_customers: bool,
    compare_to: Comparison | None,
) -> list[ComparedPoint]:
    """The series of ``span``, each point compared with the one before it and, with
    ``compare_to``, with the bucket at the same position in the series of the comparison
    span (:func:`~shopx.analytics.periods.comparison_span`: the previous period, or the same
    calendar span a year earlier), cut into buckets of the same size."""
    points = await series(session, span, step, rules, with_customers=with_customers)
    previous: list[Point] = []
    if compare_to is not None:
        earlier = comparison_span(span, compare_to, rules.tz)
        customers = metric is Metric.CUSTOMERS
        previous = await series(session, earlier, step, rules, with_customers=customers)
    return compared(points, previous, metric)


async def series(
    session: AsyncSession,
    span: Span,
    granularity: Granularity,
    rules: ReportingRules,
    *,
    with_customers: bool,
) -> list[Point]:
    points = [Point(bucket) for bucket in buckets(span, granularity, rules.tz)]
    if not points:
        return points
    if granularity is Granularity.HOUR:
        await _fill_hours(session, span, points, rules)
    else:
        await _fill_days(session, span, granularity, points, rules)
    if with_customers:
        await _fill_customers(session, span, granularity, points, rules)
    return points


async def _fill_days(
    session: AsyncSession,
    span: Span,
    granularity: Granularity,
    points: list[Point],
    rules: ReportingRules,
) -> None:
    by_key = {point.bucket.key: point for point in points}
    cover = await cover_quiet_days(session, span, rules.tz)
    per_day = {}
    if cover.days is not None:
        query = rollup_query(cover.days, SalesDaily.day)
        per_day = fold_by_key(await session.execute(query), rules.statuses)
    for edge in cover.edges:
        edge_day = local_day(edge.start, rules.tz)
        per_day.setdefault(edge_day, SalesTotals())
        per_day[edge_day] += fold(await session.execute(edge_query(edge)), rules.statuses)
    for day, totals in per_day.items():
        by_key[bucket_key(day, granularity)].totals += totals


async def _fill_hours(
    session: AsyncSession, span: Span, points: list[Point], rules: ReportingRules
) -> None:
    """Each hour's sums: its whole quarters of an hour from their rollup (an hour of any
    time zone in use is whole quarters), the minutes outside them from raw orders."""
    starts = [point.bucket.span.start for point in points]

    def add(moment: datetime, totals: SalesTotals) -> None:
        points[bisect_right(starts, moment) - 1].totals += totals

    quarters, minutes = quarters_and_minutes(span)
    if quarters is not None:
        query = quarters_query(quarters, SalesQuarterHourly.quarter_hour)
        for quarter, totals in fold_by_key(await session.execute(query), rules.statuses).items():
            add(quarter_hour_start(quarter), totals)
    for part in minutes:
        rows = await session.execute(raw_query(part, Order.ordered_at))
        for moment, totals in fold_by_key(rows, rules.statuses).items():
            add(moment, totals)


async def _fill_customers(
    session: AsyncSession,
    span: Span,
    granularity: Granularity,
    points: list[Point],
    rules: ReportingRules,
) -> None:
    if granularity is Granularity.HOUR:
        # Hourly spans are at most a week: one pass over its orders beats a query per hour.
        starts = [point.bucket.span.start for point in points]
        buyers: list[set[int]] = [set() for _ in points]
        query = select(Order.ordered_at, Order.customer_id).where(*in_span(span, rules.statuses))
        for moment, customer_id in await session.execute(query):
            buyers[bisect_right(starts, moment) - 1].add(customer_id)
        for point, customers in zip(points, buyers, strict=True):
            point.totals.customers = len(customers)
        return
    bucket_of = BUCKET_SQL[granularity]
    bucket_sql = bucket_of(
        Order.ordered_at, rules.tz, session.bind.dialect, span=(span.start, span.end)
    )
    query = (
        select(bucket_sql, func.count(func.distinct(Order.customer_id)))
        .where(*in_span(span, rules.statuses))
        .group_by(bucket_sql)
    )
    by_key = {point.bucket.key: point for point in points}
    for key, customers in await session.execute(query):
        by_key[key].totals.customers = int(customers)
