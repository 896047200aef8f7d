"""``dashboardOverview``: every panel of the dashboard's first page in one answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from shopx.analytics import categories, customers, overview, products, reps, trends
from shopx.analytics.scope import Scope
from shopx.api.graphql.arguments import period_span, series_step
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.types.category_insight import CategoryInsight
from shopx.api.graphql.types.comparison import Comparison
from shopx.api.graphql.types.customer_segment_summary import CustomerSegmentSummary
from shopx.api.graphql.types.dashboard_overview import DashboardOverview
from shopx.api.graphql.types.metric import Metric
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.product_insight import ProductInsight, ranked_insights
from shopx.api.graphql.types.sales_overview import SalesOverview
from shopx.api.graphql.types.sales_rep_performance import SalesRepPerformanceType
from shopx.api.graphql.types.trend_point import trend_points
from shopx.auth import Permission

DASHBOARD_TOP = 5


Part = TypeVar("Part")


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
