"""Queries of customer analytics: segments, top customers, retention, cohorts."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics import customers, retention
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.arguments import check_limit, period_span
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.types.cohort import CohortType
from shopx.api.graphql.types.customer_metrics import CustomerMetricsType, customer_metrics_of
from shopx.api.graphql.types.customer_retention import CustomerRetention
from shopx.api.graphql.types.customer_segment import RFM_RULES
from shopx.api.graphql.types.customer_segment_summary import CustomerSegmentSummary
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.values import identifier
from shopx.auth import Permission


@strawberry.type
class CustomerAnalyticsQuery:
    @strawberry.field(description=f"Customers per segment, all five segments. {RFM_RULES}")
    async def customer_segments(self, info: Info[Context, None]) -> list[CustomerSegmentSummary]:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        async with context.read() as session:
            rows = await customers.segment_summaries(session)
        return [CustomerSegmentSummary.build(row) for row in rows]

    @strawberry.field(description="One customer's spending in a period and RFM profile.")
    async def customer_metrics(
        self,
        info: Info[Context, None],
        customer_id: strawberry.ID,
        period: Period = Period.YEAR,
        date_range: DateRangeInput | None = None,
    ) -> CustomerMetricsType:
        context = info.context
        span = period_span(context, period, date_range)
        return await customer_metrics_of(context, identifier(customer_id, "customerId"), span)

    @strawberry.field(
        description=(
            "Customers by what they spent in the period (recognised orders, net of discount; "
            "ties by id); limit at most 100."
        )
    )
    async def top_customers(
        self,
        info: Info[Context, None],
        limit: int = 10,
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> list[CustomerMetricsType]:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        check_limit(limit)
        span = period_span(context, period, date_range)
        rules = ReportingRules.of(context.settings)
        async with context.read() as session:
            rows = await customers.top_customers(session, span, rules, context.now, limit)
        return [CustomerMetricsType.build(row) for row in rows]

    @strawberry.field(description="New, returning and churned customers of a period.")
    async def customer_retention(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> CustomerRetention:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        span = period_span(context, period, date_range)
        async with context.read() as session:
            view = await retention.customer_retention(
                session, span, ReportingRules.of(context.settings)
            )
        return CustomerRetention.build(view, span.start, span.end)

    @strawberry.field(
        description=(
            "Monthly acquisition cohorts of the last `months` months (the running month "
            "included, oldest first); months at most 36."
        )
    )
    async def cohort_retention(
        self, info: Info[Context, None], months: int = 12
    ) -> list[CohortType]:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        check_limit(months, "months", retention.MAX_COHORT_MONTHS)
        async with context.read() as session:
            rows = await retention.cohort_retention(
                session, context.now, ReportingRules.of(context.settings), months
            )
        return [CohortType.build(row) for row in rows]
