"""The KPI summary: the last N days against the N days before, with the best products."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shopx.analytics.overview import Overview, overview
from shopx.analytics.periods import Span
from shopx.analytics.products import ProductSales, top_products
from shopx.analytics.reporting import ReportingRules
from shopx.calendar import local_day, local_midnight
from shopx.db.models import Product

MAX_DAYS_BACK = 366
TOP_PRODUCTS = 5


def last_days(now: datetime, days: int, rules: ReportingRules) -> Span:
    """The last ``days`` business-local calendar days, today included (so far): from the
    local midnight ``days - 1`` days before today to ``now``. Its comparison span is the
    span of equal length that ends where it starts."""
    first = local_day(now, rules.tz) - timedelta(days=days - 1)
    return Span(local_midnight(first, rules.tz), now)


@dataclass(frozen=True, slots=True)
class KpiSummary:
    overview: Overview
    top: list[tuple[ProductSales, Product]]
    """The best products by item sales in the span, with their rows."""


async def kpi_summary(
    sessions: async_sessionmaker[AsyncSession], span: Span, rules: ReportingRules
) -> KpiSummary:
    """Revenue, orders, AOV and customers over ``span`` against the previous span
    (:func:`~shopx.analytics.overview.overview`), and the top products by item sales
    (:func:`~shopx.analytics.products.top_products`)."""

    async def best() -> list[tuple[ProductSales, Product]]:
        async with sessions() as session:
            ranked = await top_products(session, span, rules, limit=TOP_PRODUCTS)
            ids = [row.product_id for row in ranked]
            rows = await session.scalars(select(Product).where(Product.id.in_(ids)))
            products = {product.id: product for product in rows}
        return [(row, products[row.product_id]) for row in ranked]

    totals, top = await asyncio.gather(overview(sessions, span, rules), best())
    return KpiSummary(totals, top)
