"""``dashboardOverview``: the whole dashboard page in one round trip.

Each part runs in its own session, concurrently (within the request's session slots),
through the same services as the stand-alone queries, so the page shows exactly what
those queries answer. The top products are loaded after their session has closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from shopx.analytics import categories, customers, overview, products, reps, trends
from shopx.analytics.customer_types import CustomerSegmentSummary
from shopx.analytics.periods import Comparison, Period
from shopx.analytics.product_graphql import ranked_insights
from shopx.analytics.product_types import CategoryInsight, ProductInsight
from shopx.analytics.rep_types import SalesRepPerformanceType
from shopx.analytics.scope import Scope
from shopx.analytics.trends import Metric
from shopx.analytics.types import SalesOverview, TrendPoint, trend_points
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs import DateRangeInput, period_span, series_step
from shopx.auth import Permission

DASHBOARD_TOP = 5
Part = TypeVar("Part")


@strawberry.type(description="Everything the dashboard page shows, for one period.")
class DashboardOverview:
    overview: SalesOverview
    trend: list[TrendPoint] = strawberry.field(description="Revenue per bucket (default size).")
    top_products: list[ProductInsight] = strawberry.field(description="Top 5 by revenue.")
    category_breakdown: list[CategoryInsight]
    customer_segments: list[CustomerSegmentSummary]
    top_sales_reps: list[SalesRepPerformanceType] = strawberry.field(description="Top 5 by sales.")
    generated_at: datetime


@strawberry.type
class DashboardQuery:
    @strawberry.field(description="The dashboard page in one round trip.")
    async def dashboard_overview(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> DashboardOverview:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        span = period_span(context, period, date_range)
        scope = Scope.of(context.settings)
        step = series_step(period, date_range, span, None)

        async def in_session(work: Callable[[AsyncSession], Awaitable[Part]]) -> Part:
            async with context.read() as session:
                return await work(session)

        async def top() -> list[ProductInsight]:
            rows = await in_session(
                lambda s: products.top_products(s, span, scope, limit=DASHBOARD_TOP)
            )
            return await ranked_insights(context, rows)

        view, points, best, breakdown, segments, leaders = await asyncio.gather(
            overview.overview(context.read, span, scope, Comparison.PREVIOUS_PERIOD),
            in_session(lambda s: trends.series(s, span, step, scope, with_customers=False)),
            top(),
            in_session(lambda s: categories.category_breakdown(s, span, scope)),
            in_session(customers.segment_summaries),
            in_session(lambda s: reps.top_reps(s, span, scope, limit=DASHBOARD_TOP, region=None)),
        )
        everyone = sum(row.customers for row in segments)
        return DashboardOverview(
            overview=SalesOverview.build(view, context.data_as_of),
            trend=trend_points(points, [], Metric.REVENUE),
            top_products=best,
            category_breakdown=[CategoryInsight.build(row) for row in breakdown],
            customer_segments=[CustomerSegmentSummary.build(row, everyone) for row in segments],
            top_sales_reps=[SalesRepPerformanceType.build(row) for row in leaders],
            generated_at=context.now,
        )
