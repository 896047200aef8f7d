"""Item sales (quantity x unit price, before order discounts) per product or category.

Products: whole local months from ``rollup_product_monthly``, the rest of the span from
raw items. Categories: whole local days from ``rollup_category_daily`` (both tree
levels), the edges from raw items. Order counts add up across parts because the parts
cover disjoint times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import ItemTotals
from shopx.analytics.periods import Span, local_midnight
from shopx.analytics.scope import Scope
from shopx.analytics.spans import cover_days, cover_months
from shopx.db.models import Category, Order, OrderItem, Product
from shopx.db.partitions import add_months
from shopx.db.rollup_tables import CategoryDaily, ProductMonthly


def _raw_items(span: Span, statuses: Sequence[str], dimension: Any) -> Select[Any]:
    query = (
        select(
            dimension.label("key"),
            func.count(func.distinct(OrderItem.order_id)).label("orders"),
            func.sum(OrderItem.quantity).label("units"),
            func.sum(OrderItem.quantity * OrderItem.unit_price_cents).label("revenue"),
            func.sum(OrderItem.quantity * OrderItem.unit_cost_cents).label("cost"),
        )
        .join(Order, (Order.id == OrderItem.order_id) & (Order.ordered_at == OrderItem.ordered_at))
        .where(
            OrderItem.ordered_at >= span.start,
            OrderItem.ordered_at < span.end,
            Order.status.in_(statuses),
        )
        .group_by(dimension)
    )
    if dimension is not OrderItem.product_id:
        query = query.join(Product, Product.id == OrderItem.product_id)
    if dimension is Category.parent_id:
        query = query.join(Category, Category.id == Product.category_id).where(
            Category.parent_id.is_not(None)
        )
    return query


def _raw_ranges(span: Span, scope: Scope) -> list[Span]:
    """The parts of ``span`` outside its whole months."""
    cover = cover_months(span, scope.tz)
    if cover.months is None:
        return [span]
    first = local_midnight(cover.months[0], scope.tz)
    stop = local_midnight(add_months(cover.months[1], 1), scope.tz)
    return [part for part in (Span(span.start, first), Span(stop, span.end)) if part.duration]


def product_sales_parts(span: Span, scope: Scope) -> Any:
    """A subquery of (key=product_id, orders, units, revenue, cost) parts to be summed."""
    parts: list[Select[Any]] = [
        _raw_items(part, scope.statuses, OrderItem.product_id) for part in _raw_ranges(span, scope)
    ]
    cover = cover_months(span, scope.tz)
    if cover.months is not None:
        parts.append(
            select(
                ProductMonthly.product_id.label("key"),
                ProductMonthly.orders.label("orders"),
                ProductMonthly.units.label("units"),
                ProductMonthly.item_revenue_cents.label("revenue"),
                ProductMonthly.cost_cents.label("cost"),
            ).where(
                ProductMonthly.month.between(*cover.months),
                ProductMonthly.status.in_(scope.statuses),
            )
        )
    return union_all(*parts).subquery("parts") if len(parts) > 1 else parts[0].subquery("parts")


def summed(parts: Any) -> Select[Any]:
    """(key, orders, units, revenue, cost) summed per key over the parts."""
    return select(
        parts.c.key,
        func.sum(parts.c.orders).label("orders"),
        func.sum(parts.c.units).label("units"),
        func.sum(parts.c.revenue).label("revenue"),
        func.sum(parts.c.cost).label("cost"),
    ).group_by(parts.c.key)


def to_totals(rows: Any) -> dict[int, ItemTotals]:
    result: dict[int, ItemTotals] = {}
    for key, orders, units, revenue, cost in rows:
        result.setdefault(int(key), ItemTotals()).add(
            int(revenue), int(cost), int(units), int(orders)
        )
    return result


async def category_sales(session: AsyncSession, span: Span, scope: Scope) -> dict[int, ItemTotals]:
    """Item sales per category id, for leaf and top-level categories alike."""
    cover = cover_days(span, scope.tz)
    parts: list[Select[Any]] = []
    for edge in cover.edges:
        parts.append(_raw_items(edge, scope.statuses, Product.category_id))
        parts.append(_raw_items(edge, scope.statuses, Category.parent_id))
    if cover.days is not None:
        parts.append(
            select(
                CategoryDaily.category_id.label("key"),
                CategoryDaily.orders.label("orders"),
                CategoryDaily.units.label("units"),
                CategoryDaily.item_revenue_cents.label("revenue"),
                CategoryDaily.cost_cents.label("cost"),
            ).where(
                CategoryDaily.day.between(*cover.days), CategoryDaily.status.in_(scope.statuses)
            )
        )
    if not parts:
        return {}
    subquery = union_all(*parts).subquery("parts") if len(parts) > 1 else parts[0].subquery()
    return to_totals(await session.execute(summed(subquery)))
