"""Analytics queries: thin resolvers over the analytics services."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics import overview as overview_service
from shopx.analytics.periods import Comparison, Period
from shopx.analytics.scope import Scope
from shopx.analytics.types import SalesOverview
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs import DateRangeInput, period_span
from shopx.auth import Permission


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="Revenue, orders, AOV, customers, profit vs the previous period.")
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
        async with context.read() as session:
            view = await overview_service.overview(
                session, span, Scope.of(context.settings), compare_to
            )
        return SalesOverview.build(view, context.data_as_of)
