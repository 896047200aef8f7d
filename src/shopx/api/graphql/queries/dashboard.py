"""``dashboardOverview``: every panel of the dashboard's first page in one answer."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics import dashboard
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.arguments import period_span, series_step
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.types.category_insight import CategoryInsight
from shopx.api.graphql.types.customer_segment_summary import CustomerSegmentSummary
from shopx.api.graphql.types.dashboard_overview import DashboardOverview
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.product_insight import ranked_insights
from shopx.api.graphql.types.sales_overview import SalesOverview
from shopx.api.graphql.types.sales_rep_performance import SalesRepPerformanceType
from shopx.api.graphql.types.trend_point import TrendPoint
from shopx.auth import Permission


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
        step = series_step(period, date_range, span, None)
        view = await dashboard.dashboard(
            context.read, span, step, ReportingRules.of(context.settings)
        )
        return DashboardOverview(
            overview=SalesOverview.build(view.overview, context.data_as_of),
            trend=[TrendPoint.build(point) for point in view.trend],
            top_products=await ranked_insights(context, view.top_products),
            category_breakdown=[CategoryInsight.build(row) for row in view.categories],
            customer_segments=[CustomerSegmentSummary.build(row) for row in view.segments],
            top_sales_reps=[SalesRepPerformanceType.build(row) for row in view.top_reps],
            generated_at=context.now,
        )
