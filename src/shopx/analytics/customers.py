"""Customer analytics: segment summaries, one customer's metrics, the best customers.

Lifetime figures (lifetime value, order count, first and last order) are the columns kept
on the customer row by :mod:`shopx.customers.stats`; figures "in the period" come from the
customer's recognised orders inside the span. Scores follow :mod:`shopx.analytics.rfm`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import average, percentage
from shopx.analytics.periods import Span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.rfm import QUINTILES, Cutoffs, Scores, rank, scores
from shopx.analytics.sales import in_span
from shopx.calendar import local_day
from shopx.db.models import Customer, Order, Segment
from shopx.db.rows import get_row
from shopx.rollups.tables import SegmentTotals

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True, slots=True)
class SegmentSummary:
    """One segment's customers, from their lifetime statistics (every customer counted, the
    ones who never bought too).
    """

    segment: Segment
    customers: int
    lifetime_cents: int
    """Sum of the customers' lifetime value."""
    orders: int
    all_customers: int
    """Customers of every segment."""

    @property
    def average_lifetime_cents(self) -> Fraction:
        """The segment's total lifetime value / its customers; 0 for an empty segment."""
        return average(self.lifetime_cents, self.customers)

    @property
    def average_order_cents(self) -> Fraction:
        """Total lifetime value / total recognised orders of the segment; 0 without orders."""
        return average(self.lifetime_cents, self.orders)

    @property
    def share(self) -> float | None:
        """The segment's customers / all customers, in % (23.5 = 23.5%); null without
        customers.
        """
        return percentage(self.customers, self.all_customers)


async def segment_summaries(session: AsyncSession) -> list[SegmentSummary]:
    """Every segment (empty ones too), from the customers' stored segment and lifetime stats
    summed per segment (kept ahead: :mod:`shopx.rollups.segment_totals`)."""
    rows = await session.execute(
        select(
            SegmentTotals.segment,
            SegmentTotals.customers,
            SegmentTotals.lifetime_value_cents,
            SegmentTotals.orders,
        )
    )
    found = {segment: (count, value, orders) for segment, count, value, orders in rows}
    everyone = sum(int(count) for count, _, _ in found.values())
    return [
        SegmentSummary(
            segment, *(int(part or 0) for part in found.get(segment, (0, 0, 0))), everyone
        )
        for segment in Segment
    ]


BUYERS = Customer.order_count > 0


async def population_cutoffs(session: AsyncSession, rules: ReportingRules) -> Cutoffs:
    """The RFM cut-offs over every customer with a recognised order, ranked in SQL."""
    n = int((await session.execute(select(func.count()).where(BUYERS))).scalar_one())
    if not n:
        return Cutoffs((), (), ())
    positions = [rank(k, n) for k in range(1, QUINTILES)]
    last_orders = await _values_at(session, Customer.last_order_at, positions)
    return Cutoffs(
        tuple(local_day(moment, rules.tz) for moment in last_orders),
        tuple(await _values_at(session, Customer.order_count, positions)),
        tuple(await _values_at(session, Customer.lifetime_value_cents, positions)),
    )


async def _values_at(session: AsyncSession, column: Any, positions: list[int]) -> list[Any]:
    """The buyers' values of ``column`` at these 1-based positions in ascending order."""
    ranked = (
        select(column.label("value"), func.row_number().over(order_by=column).label("position"))
        .where(BUYERS)
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.position, ranked.c.value).where(ranked.c.position.in_(positions))
    )
    found = dict(rows.all())
    return [found[position] for position in positions]


@dataclass(frozen=True, slots=True)
class CustomerMetrics:
    """A customer's spending in a period and lifetime RFM profile: the order count, amount
    spent and average order value cover the customer's recognised orders in the period (net
    of discount); the rest is lifetime.
    """

    customer: Customer
    orders: int
    """Recognised orders in the period."""
    spent_cents: int
    """Their totals, net of discount."""
    scores: Scores | None
    now: datetime
    rules: ReportingRules

    @property
    def average_order_cents(self) -> Fraction:
        """Amount spent in the period / recognised orders in the period; 0 without orders."""
        return average(self.spent_cents, self.orders)

    @property
    def days_since_last_order(self) -> int | None:
        """Business-local calendar days from the last recognised order to today; null before
        a first order.
        """
        last = self.customer.last_order_at
        return days_between(last, self.now, self.rules) if last is not None else None

    @property
    def average_days_between_orders(self) -> float | None:
        """(last - first recognised order) / (orders - 1), in days; null below two."""
        customer = self.customer
        first, last = customer.first_order_at, customer.last_order_at
        if customer.order_count < 2 or first is None or last is None:
            return None
        gap = (last - first).total_seconds() / SECONDS_PER_DAY / (customer.order_count - 1)
        return round(gap, 2)


def days_between(earlier: datetime, later: datetime, rules: ReportingRules) -> int:
    """Business-local calendar days from ``earlier`` to ``later``."""
    return (local_day(later, rules.tz) - local_day(earlier, rules.tz)).days


def customer_scores(customer: Customer, bounds: Cutoffs, rules: ReportingRules) -> Scores | None:
    """The customer's lifetime RFM scores; none before a first recognised order."""
    if not customer.order_count or customer.last_order_at is None:
        return None
    day = local_day(customer.last_order_at, rules.tz)
    return scores(bounds, day, customer.order_count, customer.lifetime_value_cents)


def build_metrics(
    customer: Customer,
    sales: tuple[int, int],
    bounds: Cutoffs,
    now: datetime,
    rules: ReportingRules,
) -> CustomerMetrics:
    orders, spent = sales
    return CustomerMetrics(
        customer, orders, spent, customer_scores(customer, bounds, rules), now, rules
    )


async def period_sales(
    session: AsyncSession, span: Span, rules: ReportingRules, customer_ids: list[int]
) -> dict[int, tuple[int, int]]:
    """(orders, spent cents) per customer over the span."""
    rows = await session.execute(
        select(Order.customer_id, func.count(), func.sum(Order.total_cents))
        .where(*in_span(span, rules.statuses), Order.customer_id.in_(customer_ids))
        .group_by(Order.customer_id)
    )
    return {int(key): (int(orders), int(spent)) for key, orders, spent in rows}


async def customer_metrics(
    session: AsyncSession, customer_id: int, span: Span, rules: ReportingRules, now: datetime
) -> CustomerMetrics:
    """One customer's metrics over the span (NOT_FOUND when there is no such customer)."""
    customer = await get_row(session, Customer, customer_id)
    sales = (await period_sales(session, span, rules, [customer.id])).get(customer.id, (0, 0))
    bounds = await population_cutoffs(session, rules)
    return build_metrics(customer, sales, bounds, now, rules)


async def top_customers(
    session: AsyncSession, span: Span, rules: ReportingRules, now: datetime, limit: int
) -> list[CustomerMetrics]:
    """Customers by spend in the span (ties by id), from raw orders grouped by customer."""
    spent = func.sum(Order.total_cents)
    rows = (
        await session.execute(
            select(Order.customer_id, func.count(), spent)
            .where(*in_span(span, rules.statuses))
            .group_by(Order.customer_id)
            .order_by(spent.desc(), Order.customer_id)
            .limit(limit)
        )
    ).all()
    ids = [int(row[0]) for row in rows]
    found = await session.execute(select(Customer).where(Customer.id.in_(ids)))
    customers = {customer.id: customer for customer in found.scalars()}
    bounds = await population_cutoffs(session, rules)
    return [
        build_metrics(customers[int(key)], (int(orders), int(total)), bounds, now, rules)
        for key, orders, total in rows
    ]
