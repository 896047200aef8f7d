"""Profitability over a span: totals, and profit by category, product and customer segment.

What each part counts is defined by :class:`Profitability`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.items import category_sales
from shopx.analytics.metrics import ItemTotals, SalesTotals
from shopx.analytics.periods import Span
from shopx.analytics.products import ProductSales, ProductSort, top_products
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.sales import fold_by_key, raw_query, sales_totals
from shopx.db.models import Category, Customer, Order, Segment

TOP_PRODUCTS = 20


async def segment_sales(
    session: AsyncSession, span: Span, rules: ReportingRules
) -> dict[str, SalesTotals]:
    """Order-level sales per customer segment (the customers' current segment), raw orders."""
    query = raw_query(span, Customer.segment).join(Customer, Customer.id == Order.customer_id)
    return fold_by_key(await session.execute(query), rules.statuses)


async def top_level_category_sales(
    session: AsyncSession, span: Span, rules: ReportingRules
) -> list[tuple[Category, ItemTotals]]:
    """Item sales of the top-level categories that sold, by profit (ties by name)."""
    sales = await category_sales(session, span, rules)
    found = await session.execute(
        select(Category).where(Category.parent_id.is_(None), Category.id.in_(list(sales)))
    )
    rows = [(category, sales[category.id]) for category in found.scalars()]
    rows.sort(key=lambda row: (-row[1].profit_cents, row[0].name, row[0].id))
    return [row for row in rows if row[1].orders]


@dataclass(frozen=True, slots=True)
class Profitability:
    """Profit over a period. The totals and the customer-segment breakdown are order-level:
    revenue net of discount, profit = item sales - cost - discount. The category and product
    breakdowns are item sales before order discounts, so the category profits add up to the
    total profit + the total discount. Recognised orders only; refunds and cancellations
    count against the order's own date."""

    totals: SalesTotals
    categories: list[tuple[Category, ItemTotals]]
    products: list[ProductSales]
    segments: dict[Segment, SalesTotals]


async def profitability(session: AsyncSession, span: Span, rules: ReportingRules) -> Profitability:
    segments = await segment_sales(session, span, rules)
    return Profitability(
        totals=await sales_totals(session, span, rules),
        categories=await top_level_category_sales(session, span, rules),
        products=await top_products(
            session, span, rules, sort=ProductSort.PROFIT_DESC, limit=TOP_PRODUCTS
        ),
        segments={segment: segments.get(segment, SalesTotals()) for segment in Segment},
    )
