"""Product rankings and one product's performance over a period.

A product's sales are its item sales (:class:`~shopx.analytics.metrics.ItemTotals`): order
discounts are not split per product. The API calls them the product's revenue.
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import Float, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.buckets import Granularity, buckets
from shopx.analytics.items import (
    item_sales_by_product,
    parts_sales,
    product_parts,
    product_sales,
    ranking_candidates,
    to_totals,
)
from shopx.analytics.metrics import ItemTotals, average, growth
from shopx.analytics.periods import Comparison, Span, comparison_span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.trends import ComparedPoint, Metric, Point, compared, item_metric_value
from shopx.catalog.repository import ProductCriteria, product_clauses
from shopx.db.models import Order, OrderItem, Product, item_order_join, placed_between
from shopx.rollups.measures import add_line


class ProductSort(enum.StrEnum):
    # REVENUE_* rank by item sales; the names are the API's.
    REVENUE_DESC = "REVENUE_DESC"
    REVENUE_ASC = "REVENUE_ASC"
    PROFIT_DESC = "PROFIT_DESC"
    PROFIT_ASC = "PROFIT_ASC"
    UNITS_DESC = "UNITS_DESC"
    UNITS_ASC = "UNITS_ASC"
    MARGIN_DESC = "MARGIN_DESC"
    MARGIN_ASC = "MARGIN_ASC"
    GROWTH_DESC = "GROWTH_DESC"


@dataclass(slots=True)
class ProductSales:
    """A product's sales over a period."""

    product_id: int
    totals: ItemTotals
    previous_item_sales_cents: int = 0
    rank: int = 0

    @property
    def growth_rate(self) -> float | None:
        """Change in the product's item sales from the previous period (of equal length,
        ending where this one starts) to this one, in %; null when it sold nothing then."""
        return item_sales_growth(self.totals.item_sales_cents, self.previous_item_sales_cents)


def item_sales_growth(current_cents: int, previous_cents: int) -> float | None:
    """Change in a product's item sales from the previous period to the current one, in %
    of the previous; none when it sold nothing in the previous period."""
    return growth(current_cents, previous_cents)


def _order_by(sort: ProductSort, sums: Any) -> list[Any]:
    profit = sums.c.item_sales - sums.c.cost
    margin = cast(profit, Float) / func.nullif(sums.c.item_sales, 0)
    column = {
        "REVENUE": sums.c.item_sales,
        "PROFIT": profit,
        "UNITS": sums.c.units,
        "MARGIN": margin,
    }[sort.value.rsplit("_", 1)[0]]
    ordered = column.desc() if sort.value.endswith("DESC") else column.asc()
    if column is margin:  # null without item sales; the other measures never are
        ordered = ordered.nulls_last()
    return [ordered, sums.c.key]


async def _ranked_rows(
    session: AsyncSession,
    span: Span,
    rules: ReportingRules,
    sort: ProductSort,
    where: ProductCriteria,
    limit: int | None,
) -> list[ProductSales]:
    clauses = product_clauses(where)
    parts = await product_parts(session, span, rules)
    candidates = None
    if sort is ProductSort.REVENUE_DESC and not clauses and limit is not None:
        candidates = await ranking_candidates(session, parts, rules, limit)
    sums = parts_sales(parts, rules.statuses, candidates)
    query = select(sums)
    if clauses:
        query = query.join(Product, Product.id == sums.c.key).where(*clauses)
    if sort is not ProductSort.GROWTH_DESC:
        query = query.order_by(*_order_by(sort, sums)).limit(limit)
    totals = to_totals(await session.execute(query))
    return [ProductSales(product_id, item) for product_id, item in totals.items()]


async def top_products(
    session: AsyncSession,
    span: Span,
    rules: ReportingRules,
    *,
    sort: ProductSort = ProductSort.REVENUE_DESC,
    where: ProductCriteria = ProductCriteria(),
    limit: int = 10,
) -> list[ProductSales]:
    """Products ranked by ``sort`` over ``span``, with their item sales growth."""
    by_growth = sort is ProductSort.GROWTH_DESC
    ranked = await _ranked_rows(session, span, rules, sort, where, None if by_growth else limit)
    earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, rules.tz)
    ids = None if by_growth else [row.product_id for row in ranked]
    before = await item_sales_by_product(session, earlier, rules, ids)
    for row in ranked:
        row.previous_item_sales_cents = before.get(row.product_id, 0)
    if by_growth:
        ranked.sort(
            key=lambda row: (row.growth_rate is None, -(row.growth_rate or 0), row.product_id)
        )
        ranked = ranked[:limit]
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    return ranked


@dataclass(frozen=True, slots=True)
class ProductPerformance:
    """One product over a period against the previous period of equal length."""

    product_id: int
    current: ItemTotals
    previous: ItemTotals
    first_sale: datetime | None
    """First recognised sale ever."""
    last_sale: datetime | None
    """Latest recognised sale."""

    @property
    def average_price_cents(self) -> Fraction:
        """Item sales / units sold in the period; zero when none sold."""
        return average(self.current.item_sales_cents, self.current.units)

    @property
    def growth_rate(self) -> float | None:
        """Change in the product's item sales from the previous period (of equal length,
        ending where this one starts) to this one, in %; null when it sold nothing then."""
        return item_sales_growth(self.current.item_sales_cents, self.previous.item_sales_cents)

    @property
    def item_sales_change_cents(self) -> int:
        """Item sales minus the previous period's."""
        return self.current.item_sales_cents - self.previous.item_sales_cents

    @property
    def units_change(self) -> int:
        """Units sold minus the previous period's."""
        return self.current.units - self.previous.units


async def product_performance(
    session: AsyncSession, product_id: int, span: Span, rules: ReportingRules
) -> ProductPerformance:
    earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, rules.tz)
    totals = []
    for part in (span, earlier):
        sums = await product_sales(session, part, rules, [product_id])
        rows = to_totals(await session.execute(select(sums)))
        totals.append(rows.get(product_id, ItemTotals()))
    first, last = (
        await session.execute(
            select(func.min(OrderItem.ordered_at), func.max(OrderItem.ordered_at))
            .join(Order, item_order_join())
            .where(OrderItem.product_id == product_id, Order.status.in_(rules.statuses))
        )
    ).one()
    return ProductPerformance(product_id, totals[0], totals[1], first, last)


async def product_series(
    session: AsyncSession,
    product_id: int,
    span: Span,
    granularity: Granularity,
    rules: ReportingRules,
) -> list[Point]:
    """Item sales of one product per bucket, from raw items (read with
    :func:`~shopx.analytics.trends.item_metric_value`)."""
    points = [Point(bucket) for bucket in buckets(span, granularity, rules.tz)]
    starts = [point.bucket.span.start for point in points]
    rows = await session.execute(
        select(
            OrderItem.ordered_at,
            OrderItem.order_id,
            Order.customer_id,
            OrderItem.quantity,
            OrderItem.unit_price_cents,
            OrderItem.unit_cost_cents,
        )
        .join(Order, item_order_join())
        .where(
            OrderItem.product_id == product_id,
            *placed_between(span.start, span.end),
            Order.status.in_(rules.statuses),
        )
    )
    orders: list[set[int]] = [set() for _ in points]
    customers: list[set[int]] = [set() for _ in points]
    for line in rows:
        index = bisect_right(starts, line.ordered_at) - 1
        add_line(points[index].totals, line)
        orders[index].add(line.order_id)
        customers[index].add(line.customer_id)
    for point, bought, buyers in zip(points, orders, customers, strict=True):
        point.totals.orders, point.totals.customers = len(bought), len(buyers)
    return points


async def product_trend(
    session: AsyncSession,
    product_id: int,
    span: Span,
    granularity: Granularity,
    rules: ReportingRules,
    metric: Metric,
    *,
    compare: bool = False,
) -> list[ComparedPoint]:
    """One product's ``metric`` per bucket, each against the bucket before it and, with
    ``compare``, against the same bucket of the previous period."""
    points = await product_series(session, product_id, span, granularity, rules)
    previous: list[Point] = []
    if compare:
        earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, rules.tz)
        previous = await product_series(session, product_id, earlier, granularity, rules)
    return compared(points, previous, metric, item_metric_value)
