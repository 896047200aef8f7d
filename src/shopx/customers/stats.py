"""A customer's order statistics, kept on the customer row.

Over the customer's recognised orders (statuses in ``SHOPX_REVENUE_STATUSES``):
lifetime value = sum of their totals, order count = their number, first/last order =
the earliest/latest of their times. A customer without one has 0, 0, none, none.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Customer, Order


async def refresh_customer_stats(
    session: AsyncSession, customer_ids: Collection[int], statuses: Collection[str]
) -> None:
    """Recompute the statistics of these customers (the write path, inside its transaction)."""
    if customer_ids:
        await _refresh(session, statuses, list(customer_ids))


async def refresh_all_customer_stats(session: AsyncSession, statuses: Collection[str]) -> None:
    """Recompute every customer's statistics in two set-based statements."""
    await _refresh(session, statuses, None)


async def _refresh(
    session: AsyncSession, statuses: Collection[str], customer_ids: list[int] | None
) -> None:
    status: Any = Order.status
    if customer_ids is not None:
        # A few customers' orders are found through their customer index. Without this
        # SQLite (no planner statistics) reads them through the status index instead: every
        # recognised order of the shop, which made a bulk import's batches ever slower.
        status = Order.status.concat("")
    recognised = status.in_(list(statuses))
    totals_query = select(
        Order.customer_id.label("customer_id"),
        func.sum(Order.total_cents).label("value"),
        func.count().label("orders"),
        func.min(Order.ordered_at).label("first"),
        func.max(Order.ordered_at).label("last"),
    ).where(recognised)
    buyers = select(Order.customer_id).where(recognised)
    chosen: list[Any] = []
    if customer_ids is not None:
        totals_query = totals_query.where(Order.customer_id.in_(customer_ids))
        buyers = buyers.where(Order.customer_id.in_(customer_ids))
        chosen = [Customer.id.in_(customer_ids)]
    totals = totals_query.group_by(Order.customer_id).subquery("totals")

    await session.execute(
        update(Customer)
        .where(
            Customer.id == totals.c.customer_id,
            or_(
                Customer.lifetime_value_cents != totals.c.value,
                Customer.order_count != totals.c.orders,
                Customer.first_order_at.is_distinct_from(totals.c.first),
                Customer.last_order_at.is_distinct_from(totals.c.last),
            ),
        )
        .values(
            lifetime_value_cents=totals.c.value,
            order_count=totals.c.orders,
            first_order_at=totals.c.first,
            last_order_at=totals.c.last,
        )
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Customer)
        .where(
            *chosen,
            Customer.id.not_in(buyers),
            or_(
                Customer.lifetime_value_cents != 0,
                Customer.order_count != 0,
                Customer.first_order_at.is_not(None),
                Customer.last_order_at.is_not(None),
            ),
        )
        .values(lifetime_value_cents=0, order_count=0, first_order_at=None, last_order_at=None)
        .execution_options(synchronize_session=False)
    )
