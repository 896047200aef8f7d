"""Queries of sales-rep analytics: leaderboard, one rep's detail, regions."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics import regions, reps
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.arguments import check_limit, period_span, series_step
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.types.granularity import Granularity
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.regional_performance import RegionalPerformance
from shopx.api.graphql.types.sales_rep_performance import SalesRepPerformanceType
from shopx.api.graphql.types.sales_rep_performance_detail import SalesRepPerformanceDetail
from shopx.api.graphql.types.trend_point import TrendPoint
from shopx.api.graphql.values import identifier, wanted
from shopx.auth import Permission


@strawberry.type
class SalesRepAnalyticsQuery:
    @strawberry.field(
        description=(
            "Reps with recognised sales in the period, best first; region keeps the reps of "
            'that region ("Unknown" for reps without one); limit at most 100.'
        )
    )
    async def top_sales_reps(
        self,
        info: Info[Context, None],
        limit: int = 10,
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
        region: str | None = None,
    ) -> list[SalesRepPerformanceType]:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        check_limit(limit)
        region = wanted(region, "region")
        span = period_span(context, period, date_range)
        async with context.read() as session:
            rows = await reps.top_reps(
                session, span, ReportingRules.of(context.settings), limit=limit, region=region
            )
        return [SalesRepPerformanceType.build(row) for row in rows]

    @strawberry.field(description="One rep's performance in a period, with its revenue trend.")
    async def sales_rep_performance(
        self,
        info: Info[Context, None],
        sales_rep_id: strawberry.ID,
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
        granularity: Granularity | None = None,
    ) -> SalesRepPerformanceDetail:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        key = identifier(sales_rep_id, "salesRepId")
        span = period_span(context, period, date_range)
        step = series_step(period, date_range, span, granularity)
        rules = ReportingRules.of(context.settings)
        async with context.read() as session:
            view = await reps.rep_detail(session, key, span, step, rules)
        return SalesRepPerformanceDetail(
            **SalesRepPerformanceType.fields_of(view.performance),  # type: ignore[arg-type]
            trend=[TrendPoint.build(point) for point in view.series],
        )

    @strawberry.field(
        description=(
            "Per customer region: revenue, orders, customers, profit, and revenue growth vs "
            "the previous period; regions that sold in either period, by revenue."
        )
    )
    async def regional_performance(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> list[RegionalPerformance]:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        span = period_span(context, period, date_range)
        async with context.read() as session:
            rows = await regions.regional_performance(
                session, span, ReportingRules.of(context.settings)
            )
        return [RegionalPerformance.build(row) for row in rows]
