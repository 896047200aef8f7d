"""Order-level sales over a span: revenue, orders, units, cost, discount, customers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import SalesTotals
from shopx.analytics.periods import Span
from shopx.analytics.scope import Scope
from shopx.analytics.spans import cover_days
from shopx.db.models import Order, OrderItem
from shopx.db.rollup_tables import SalesDaily
from shopx.db.rollups import per_order_lines

CANCELLED = "CANCELLED"


def fold(rows: Iterable[Sequence[Any]], statuses: tuple[str, ...]) -> SalesTotals:
    """Rows of (status, orders, revenue, item revenue, discount, cost, units) -> totals."""
    totals = SalesTotals()
    for status, orders, revenue, item_revenue, discount, cost, units in rows:
        if status in statuses:
            totals.orders += int(orders)
            totals.revenue_cents += int(revenue)
            totals.item_revenue_cents += int(item_revenue)
            totals.discount_cents += int(discount)
            totals.cost_cents += int(cost)
            totals.units += int(units)
        if status == CANCELLED:
            totals.cancelled_orders += int(orders)
            totals.cancelled_revenue_cents += int(revenue)
    return totals


async def _from_rollup(
    session: AsyncSession, days: tuple[date, date], statuses: tuple[str, ...]
) -> SalesTotals:
    rows = await session.execute(
        select(
            SalesDaily.status,
            func.sum(SalesDaily.orders),
            func.sum(SalesDaily.revenue_cents),
            func.sum(SalesDaily.item_revenue_cents),
            func.sum(SalesDaily.discount_cents),
            func.sum(SalesDaily.cost_cents),
            func.sum(SalesDaily.units),
        )
        .where(SalesDaily.day.between(*days))
        .group_by(SalesDaily.status)
    )
    return fold(rows, statuses)


async def _from_raw(session: AsyncSession, span: Span, statuses: tuple[str, ...]) -> SalesTotals:
    lines = (
        per_order_lines()
        .where(OrderItem.ordered_at >= span.start, OrderItem.ordered_at < span.end)
        .subquery()
    )
    rows = await session.execute(
        select(
            Order.status,
            func.count(),
            func.sum(Order.total_cents),
            func.coalesce(func.sum(lines.c.item_revenue), 0),
            func.sum(Order.discount_cents),
            func.coalesce(func.sum(lines.c.cost), 0),
            func.coalesce(func.sum(lines.c.units), 0),
        )
        .outerjoin(lines, lines.c.order_id == Order.id)
        .where(Order.ordered_at >= span.start, Order.ordered_at < span.end)
        .group_by(Order.status)
    )
    return fold(rows, statuses)


async def distinct_customers(session: AsyncSession, span: Span, statuses: tuple[str, ...]) -> int:
    """Customers with at least one recognised order in the span (index-only on PostgreSQL)."""
    query = select(func.count(func.distinct(Order.customer_id))).where(
        Order.status.in_(statuses), Order.ordered_at >= span.start, Order.ordered_at < span.end
    )
    return int((await session.execute(query)).scalar_one())


async def sales_totals(session: AsyncSession, span: Span, scope: Scope) -> SalesTotals:
    cover = cover_days(span, scope.tz)
    totals = SalesTotals()
    if cover.days is not None:
        totals += await _from_rollup(session, cover.days, scope.statuses)
    for edge in cover.edges:
        totals += await _from_raw(session, edge, scope.statuses)
    totals.customers = await distinct_customers(session, span, scope.statuses)
    return totals
