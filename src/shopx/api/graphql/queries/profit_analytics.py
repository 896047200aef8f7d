"""Queries of profit: profitability, margins by group, least profitable products."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics import margins, profitability
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.arguments import check_limit, period_span
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.types.margin_group import MarginGroupType
from shopx.api.graphql.types.margin_group_by import MarginGroupBy
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.product_insight import ranked_insights
from shopx.api.graphql.types.profitability_metrics import ProfitabilityMetrics
from shopx.auth import Permission


@strawberry.type
class ProfitAnalyticsQuery:
    @strawberry.field(description="Revenue, cost, discount and profit of a period, broken down.")
    async def profitability_metrics(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> ProfitabilityMetrics:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        span = period_span(context, period, date_range)
        async with context.read() as session:
            view = await profitability.profitability(
                session, span, ReportingRules.of(context.settings)
            )
        products = await ranked_insights(context, view.products)
        return ProfitabilityMetrics.build(view, span, products)

    @strawberry.field(
        description=(
            "Revenue, cost, profit and margin per group, ranked by profit (ties by name, "
            "products by id); groups without recognised sales are left out; limit at most 100."
        )
    )
    async def margin_analysis(
        self,
        info: Info[Context, None],
        group_by: MarginGroupBy,
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
        limit: int = 20,
    ) -> list[MarginGroupType]:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        check_limit(limit)
        span = period_span(context, period, date_range)
        async with context.read() as session:
            analysis = await margins.margin_analysis(
                session, span, ReportingRules.of(context.settings), group_by, limit
            )
        return [MarginGroupType.build(group, analysis) for group in analysis.groups]
