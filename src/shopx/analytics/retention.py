"""Customer retention over a period, and monthly acquisition cohorts.

Over a span, counting customers with a recognised order:

* active: customers with an order in the span; previous: the same for the previous period
  (the span of equal length that ends where this one starts);
* new: active customers whose first recognised order ever lies in the span; returning:
  the other active customers (they had a recognised order before the span);
* retained: previous customers who are active again; churned: previous customers who are
  not;
* retention rate = retained / previous, churn rate = churned / previous (they add up to
  1), repeat purchase rate = active customers with two or more orders / active; all plain
  ratios.

A cohort is the customers whose first recognised order fell in one business-local month;
its retention at index k is the share of them with a recognised order in the k-th month
after it (index 0, the cohort month itself, is 1.0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.periods import Comparison, Span, comparison_span
from shopx.analytics.sales import distinct_customers, in_span
from shopx.analytics.scope import Scope
from shopx.calendar import add_months, local_day, local_midnight
from shopx.db.models import Customer, Order

MAX_COHORT_MONTHS = 36


@dataclass(frozen=True, slots=True)
class Retention:
    active: int
    new: int
    previous: int
    retained: int
    repeat: int

    @property
    def returning(self) -> int:
        return self.active - self.new

    @property
    def churned(self) -> int:
        return self.previous - self.retained


async def _active_and_new(session: AsyncSession, span: Span, scope: Scope) -> tuple[int, int]:
    first_here = case((Customer.first_order_at >= span.start, Order.customer_id))
    active, new = (
        await session.execute(
            select(
                func.count(func.distinct(Order.customer_id)), func.count(func.distinct(first_here))
            )
            .join(Customer, Customer.id == Order.customer_id)
            .where(*in_span(span, scope.statuses))
        )
    ).one()
    return int(active), int(new)


async def _retained(session: AsyncSession, span: Span, earlier: Span, scope: Scope) -> int:
    again = select(Order.customer_id).where(*in_span(span, scope.statuses))
    query = select(func.count(func.distinct(Order.customer_id))).where(
        *in_span(earlier, scope.statuses), Order.customer_id.in_(again)
    )
    return int((await session.execute(query)).scalar_one())


async def _repeat_buyers(session: AsyncSession, span: Span, scope: Scope) -> int:
    buyers = (
        select(Order.customer_id)
        .where(*in_span(span, scope.statuses))
        .group_by(Order.customer_id)
        .having(func.count() >= 2)
        .subquery()
    )
    return int((await session.execute(select(func.count()).select_from(buyers))).scalar_one())


async def customer_retention(session: AsyncSession, span: Span, scope: Scope) -> Retention:
    earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, scope.tz)
    active, new = await _active_and_new(session, span, scope)
    return Retention(
        active=active,
        new=new,
        previous=await distinct_customers(session, earlier, scope.statuses),
        retained=await _retained(session, span, earlier, scope),
        repeat=await _repeat_buyers(session, span, scope),
    )


@dataclass(frozen=True, slots=True)
class Cohort:
    month: date
    size: int
    active: list[int]
    """Cohort customers with a recognised order in each month from the cohort month on."""


def _month_index(column: Any, ends: list[datetime]) -> Any:
    """SQL: which of the consecutive months ending at ``ends`` holds ``column`` (0 = first).

    A CASE over the months' edges, the same on every dialect and free of per-row time
    zone arithmetic; rows must lie inside the months.
    """
    return case(*((column < end, index) for index, end in enumerate(ends)))


async def cohort_retention(
    session: AsyncSession, now: datetime, scope: Scope, months: int
) -> list[Cohort]:
    """The cohorts of the last ``months`` local months, the running one included."""
    first = add_months(local_day(now, scope.tz).replace(day=1), 1 - months)
    firsts = [add_months(first, index) for index in range(months)]
    starts = [local_midnight(month, scope.tz) for month in firsts]
    span = Span(starts[0], now)
    ends = [*starts[1:], now]
    cohort = _month_index(Customer.first_order_at, ends)
    joined = Customer.first_order_at >= span.start, Customer.first_order_at < span.end
    sizes = dict(
        (await session.execute(select(cohort, func.count()).where(*joined).group_by(cohort))).all()
    )
    active = _month_index(Order.ordered_at, ends)
    cells = await session.execute(
        select(cohort, active, func.count(func.distinct(Order.customer_id)))
        .join(Customer, Customer.id == Order.customer_id)
        .where(*in_span(span, scope.statuses), *joined)
        .group_by(cohort, active)
    )
    counts = {(int(start), int(month)): int(count) for start, month, count in cells}
    return [
        Cohort(
            month,
            int(sizes.get(index, 0)),
            [counts.get((index, later), 0) for later in range(index, months)],
        )
        for index, month in enumerate(firsts)
    ]
