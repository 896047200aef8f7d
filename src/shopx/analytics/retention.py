"""Customer retention over a period, and monthly acquisition cohorts.

The figures and their rates are defined on the values computed here: :class:`Retention`
(this period against the previous one) and :class:`Cohort` (customers by month of first
order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import ratio
from shopx.analytics.periods import Comparison, Span, comparison_span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.sales import distinct_customers, in_span
from shopx.calendar import add_months, local_day, local_midnight
from shopx.db.models import Customer, Order

MAX_COHORT_MONTHS = 36


@dataclass(frozen=True, slots=True)
class Retention:
    """Customers with a recognised order, this period against the previous one (the span of
    equal length ending where this one starts). Active: customers with a recognised order
    in the period; new: their first recognised order ever lies in the period; retained:
    active in both periods.
    """

    active: int
    new: int
    previous: int
    retained: int
    repeat: int
    """Active customers with two or more recognised orders in the period."""

    @property
    def returning(self) -> int:
        """Active customers who had a recognised order before the period."""
        return self.active - self.new

    @property
    def churned(self) -> int:
        """Customers active in the previous period with no recognised order in this one."""
        return self.previous - self.retained

    @property
    def retention_rate(self) -> float | None:
        """Customers active in both periods / customers active in the previous period, as a
        plain ratio (0.25 = 25%); null when nobody bought in the previous period.
        """
        return ratio(self.retained, self.previous)

    @property
    def churn_rate(self) -> float | None:
        """Customers active in the previous period but not in this one / customers active in
        the previous period, as a plain ratio (retention rate + churn rate = 1); null when
        nobody bought in the previous period.
        """
        return ratio(self.churned, self.previous)

    @property
    def repeat_purchase_rate(self) -> float | None:
        """Customers with two or more recognised orders in the period / customers with one
        or more, as a plain ratio; null when nobody bought in the period.
        """
        return ratio(self.repeat, self.active)


async def _active_and_new(
    session: AsyncSession, span: Span, rules: ReportingRules
) -> tuple[int, int]:
    first_here = case((Customer.first_order_at >= span.start, Order.customer_id))
    active, new = (
        await session.execute(
            select(
                func.count(func.distinct(Order.customer_id)), func.count(func.distinct(first_here))
            )
            .join(Customer, Customer.id == Order.customer_id)
            .where(*in_span(span, rules.statuses))
        )
    ).one()
    return int(active), int(new)


async def _retained(session: AsyncSession, span: Span, earlier: Span, rules: ReportingRules) -> int:
    again = select(Order.customer_id).where(*in_span(span, rules.statuses))
    query = select(func.count(func.distinct(Order.customer_id))).where(
        *in_span(earlier, rules.statuses), Order.customer_id.in_(again)
    )
    return int((await session.execute(query)).scalar_one())


async def _repeat_buyers(session: AsyncSession, span: Span, rules: ReportingRules) -> int:
    buyers = (
        select(Order.customer_id)
        .where(*in_span(span, rules.statuses))
        .group_by(Order.customer_id)
        .having(func.count() >= 2)
        .subquery()
    )
    return int((await session.execute(select(func.count()).select_from(buyers))).scalar_one())


async def customer_retention(session: AsyncSession, span: Span, rules: ReportingRules) -> Retention:
    earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, rules.tz)
    active, new = await _active_and_new(session, span, rules)
    return Retention(
        active=active,
        new=new,
        previous=await distinct_customers(session, earlier, rules),
        retained=await _retained(session, span, earlier, rules),
        repeat=await _repeat_buyers(session, span, rules),
    )


@dataclass(frozen=True, slots=True)
class Cohort:
    """Customers whose first recognised order fell in one business-local month."""

    month: date
    size: int
    active: list[int]
    """Cohort customers with a recognised order in each month from the cohort month on."""

    @property
    def retention(self) -> list[float | None]:
        """retention[k]: the share of the cohort (plain ratio) with a recognised order k
        months after its month, up to the running month; retention[0] = 1.0; null for an
        empty cohort.
        """
        return [ratio(count, self.size) for count in self.active]


def _month_index(column: Any, ends: list[datetime]) -> Any:
    """SQL: which of the consecutive months ending at ``ends`` holds ``column`` (0 = first).

    A CASE over the months' edges, the same on every dialect and free of per-row time
    zone arithmetic; rows must lie inside the months.
    """
    return case(*((column < end, index) for index, end in enumerate(ends)))


async def cohort_retention(
    session: AsyncSession, now: datetime, rules: ReportingRules, months: int
) -> list[Cohort]:
    """The cohorts of the last ``months`` local months, the running one included."""
    first = add_months(local_day(now, rules.tz).replace(day=1), 1 - months)
    firsts = [add_months(first, index) for index in range(months)]
    starts = [local_midnight(month, rules.tz) for month in firsts]
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
        .where(*in_span(span, rules.statuses), *joined)
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
