"""The dashboard's first page: every panel of one period, computed together."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shopx.analytics import categories, customers, overview, products, reps, trends
from shopx.analytics.buckets import Granularity
from shopx.analytics.categories import CategorySales
from shopx.analytics.customers import SegmentSummary
from shopx.analytics.overview import Overview
from shopx.analytics.periods import Comparison, Span
from shopx.analytics.products import ProductSales
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.reps import RepPerformance
from shopx.analytics.trends import ComparedPoint

DASHBOARD_TOP = 5
"""How many products and reps the dashboard's leaderboards show."""

Part = TypeVar("Part")


@dataclass(frozen=True, slots=True)
class Dashboard:
    """One period's overview (against the previous period), revenue per bucket, top products by
    revenue, top-level categories, customer segments and top reps by sales."""

    overview: Overview
    trend: list[ComparedPoint]
    top_products: list[ProductSales]
    categories: list[CategorySales]
    segments: list[SegmentSummary]
    top_reps: list[RepPerformance]


async def dashboard(
    sessions: async_sessionmaker[AsyncSession], span: Span, step: Granularity, rules: ReportingRules
) -> Dashboard:
    """Every panel at once, each in its own session, so PostgreSQL works on them in parallel."""

    async def part(work: Callable[[AsyncSession], Awaitable[Part]]) -> Part:
        async with sessions() as session:
            return await work(session)

    view, points, best, breakdown, segments, leaders = await asyncio.gather(
        overview.overview(sessions, span, rules, Comparison.PREVIOUS_PERIOD),
        part(lambda s: trends.series(s, span, step, rules, with_customers=False)),
        part(lambda s: products.top_products(s, span, rules, limit=DASHBOARD_TOP)),
        part(lambda s: categories.category_breakdown(s, span, rules)),
        part(customers.segment_summaries),
        part(lambda s: reps.top_reps(s, span, rules, limit=DASHBOARD_TOP)),
    )
    trend = trends.compared(points, [], trends.Metric.REVENUE)
    return Dashboard(view, trend, best, breakdown, segments, leaders)
