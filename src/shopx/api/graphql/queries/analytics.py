"""Queries of the shop's headline numbers: the sales overview, realtime metrics, series."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics import overview as overview_service
from shopx.analytics import realtime, trends
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.arguments import period_span, series_step
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.selection import selects
from shopx.api.graphql.types.comparison import Comparison
from shopx.api.graphql.types.granularity import Granularity
from shopx.api.graphql.types.metric import Metric
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.realtime_metrics import RealtimeMetrics
from shopx.api.graphql.types.sales_overview import SalesOverview
from shopx.api.graphql.types.trend_point import TrendPoint
from shopx.auth import Permission


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description=(
            "Revenue, orders, AOV, customers, units, profit and margin vs the previous period "
            "or year."
        )
    )
    async def sales_overview(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
        compare_to: Comparison = Comparison.PREVIOUS_PERIOD,
    ) -> SalesOverview:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        span = period_span(context, period, date_range)
        view = await overview_service.overview(
            context.read, span, ReportingRules.of(context.settings), compare_to
        )
        return SalesOverview.build(view, context.data_as_of)

    @strawberry.field(description="Today so far, and orders in the last hour.")
    async def realtime_metrics(self, info: Info[Context, None]) -> RealtimeMetrics:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        async with context.read() as session:
            view = await realtime.realtime(
                session, context.now, ReportingRules.of(context.settings)
            )
        return RealtimeMetrics.build(view, context.now)

    @strawberry.field(
        description=(
            "A metric per hour, day, week or month. `change` compares each point with the one "
            "before it; `compare` adds `previousValue` and `previousOrderCount`, bucket i of "
            "the comparison span cut the same way (`compareTo`: PREVIOUS_PERIOD, or "
            "PREVIOUS_YEAR for the same calendar span one year earlier)."
        )
    )
    async def sales_trends(
        self,
        info: Info[Context, None],
        period: Period,
        metric: Metric,
        granularity: Granularity | None = None,
        date_range: DateRangeInput | None = None,
        compare: bool = False,
        compare_to: Comparison = Comparison.PREVIOUS_PERIOD,
    ) -> list[TrendPoint]:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        span = period_span(context, period, date_range)
        step = series_step(period, date_range, span, granularity)
        customers = metric is Metric.CUSTOMERS or selects(info, "customerCount")
        async with context.read() as session:
            points = await trends.series_compared(
                session,
                span,
                step,
                ReportingRules.of(context.settings),
                metric=metric,
                with_customers=customers,
                compare_to=compare_to if compare else None,
            )
        return [TrendPoint.build(point) for point in points]
