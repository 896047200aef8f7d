"""Margin analysis: sales, cost and profit per group, with each group's share of profit.

What a group's sales are depends on the grouping: see :class:`MarginGroupBy`.

Groups without recognised sales are left out; the rest are ranked by profit (ties by
name; products by id, as :func:`top_products` ranks them). Contribution is a group's
profit as a percentage of the profit of all groups, the ones past ``limit`` included.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics import trends
from shopx.analytics.buckets import Granularity
from shopx.analytics.items import product_sales
from shopx.analytics.metrics import ItemTotals, SalesTotals, percentage
from shopx.analytics.periods import Span
from shopx.analytics.products import ProductSort, top_products
from shopx.analytics.profitability import segment_sales, top_level_category_sales
from shopx.analytics.regions import UNKNOWN, SalesColumn, sales_by
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.reps import rep_totals, reps_by_id
from shopx.analytics.sales import sales_totals
from shopx.db.models import Product


class MarginGroupBy(enum.StrEnum):
    """PRODUCT, CATEGORY (top-level, subtree included), BRAND: item sales (quantity x unit
    price) before order-level discounts, profit = item sales - cost. CUSTOMER_SEGMENT
    (current segment), SALES_REP (orders without a rep left out), REGION (the customer's),
    PAYMENT_MODE, DAY, WEEK, MONTH (business-local): order revenue net of discount, profit =
    item sales - cost - discount."""

    PRODUCT = "PRODUCT"
    CATEGORY = "CATEGORY"
    BRAND = "BRAND"
    CUSTOMER_SEGMENT = "CUSTOMER_SEGMENT"
    SALES_REP = "SALES_REP"
    REGION = "REGION"
    PAYMENT_MODE = "PAYMENT_MODE"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


@dataclass(frozen=True, slots=True)
class MarginGroup:
    key: str
    name: str
    sales_cents: int
    """The sales of this group: item sales for PRODUCT, CATEGORY and BRAND groups, revenue
    net of discount for the others (see MarginGroupBy)."""
    cost_cents: int
    profit_cents: int

    @property
    def margin(self) -> float | None:
        """Profit / the group's sales, in %; null without sales."""
        return percentage(self.profit_cents, self.sales_cents)


@dataclass(frozen=True, slots=True)
class MarginAnalysis:
    groups: list[MarginGroup]
    total_profit_cents: int

    def contribution(self, group: MarginGroup) -> float | None:
        """Share of the profit of all groups (also those past the limit), in %."""
        return percentage(group.profit_cents, self.total_profit_cents)


def _order_level(key: str, name: str, totals: SalesTotals) -> MarginGroup:
    return MarginGroup(key, name, totals.revenue_cents, totals.cost_cents, totals.profit_cents)


def _item_level(key: str, name: str, totals: ItemTotals) -> MarginGroup:
    return MarginGroup(key, name, totals.item_sales_cents, totals.cost_cents, totals.profit_cents)


def _named(sales: dict[str, SalesTotals]) -> list[MarginGroup]:
    return [
        _order_level(key, key or UNKNOWN, totals) for key, totals in sales.items() if totals.orders
    ]


async def _products(
    session: AsyncSession, span: Span, rules: ReportingRules, limit: int
) -> MarginAnalysis:
    rows = await top_products(session, span, rules, sort=ProductSort.PROFIT_DESC, limit=limit)
    ids = [row.product_id for row in rows]
    found = await session.execute(select(Product.id, Product.name).where(Product.id.in_(ids)))
    names = dict(found.all())
    groups = [_item_level(str(row.product_id), names[row.product_id], row.totals) for row in rows]
    totals = await sales_totals(session, span, rules)
    return MarginAnalysis(groups, totals.item_profit_cents)


async def _brands(session: AsyncSession, span: Span, rules: ReportingRules) -> list[MarginGroup]:
    parts = await product_sales(session, span, rules)
    brand = func.coalesce(Product.brand, literal(""))
    rows = await session.execute(
        select(brand, func.sum(parts.c.item_sales), func.sum(parts.c.cost))
        .select_from(parts)
        .join(Product, Product.id == parts.c.key)
        .group_by(brand)
    )
    return [
        _item_level(key, key or UNKNOWN, ItemTotals(int(item_sales), int(cost)))
        for key, item_sales, cost in rows
    ]


async def _categories(
    session: AsyncSession, span: Span, rules: ReportingRules
) -> list[MarginGroup]:
    return [
        _item_level(str(category.id), category.name, totals)
        for category, totals in await top_level_category_sales(session, span, rules)
    ]


async def _reps(session: AsyncSession, span: Span, rules: ReportingRules) -> list[MarginGroup]:
    totals = await rep_totals(session, span, rules)
    reps = await reps_by_id(session, list(totals))
    return [_order_level(str(key), reps[key].name, value) for key, value in totals.items()]


async def _buckets(
    session: AsyncSession, span: Span, rules: ReportingRules, granularity: Granularity
) -> list[MarginGroup]:
    points = await trends.series(session, span, granularity, rules, with_customers=False)
    return [
        _order_level(point.bucket.key.isoformat(), point.bucket.label, point.totals)
        for point in points
        if point.totals.orders
    ]


async def _groups(
    session: AsyncSession, span: Span, rules: ReportingRules, group_by: MarginGroupBy
) -> Iterable[MarginGroup]:
    if group_by is MarginGroupBy.CATEGORY:
        return await _categories(session, span, rules)
    if group_by is MarginGroupBy.BRAND:
        return await _brands(session, span, rules)
    if group_by is MarginGroupBy.CUSTOMER_SEGMENT:
        return _named(await segment_sales(session, span, rules))
    if group_by is MarginGroupBy.SALES_REP:
        return await _reps(session, span, rules)
    if group_by in (MarginGroupBy.REGION, MarginGroupBy.PAYMENT_MODE):
        return _named(await sales_by(session, span, rules, SalesColumn[group_by.value]))
    return await _buckets(session, span, rules, Granularity[group_by.value])


async def margin_analysis(
    session: AsyncSession, span: Span, rules: ReportingRules, group_by: MarginGroupBy, limit: int
) -> MarginAnalysis:
    if group_by is MarginGroupBy.PRODUCT:
        return await _products(session, span, rules, limit)
    groups = sorted(
        await _groups(session, span, rules, group_by),
        key=lambda group: (-group.profit_cents, group.name, group.key),
    )
    total = sum(group.profit_cents for group in groups)
    return MarginAnalysis(groups[:limit], total)
