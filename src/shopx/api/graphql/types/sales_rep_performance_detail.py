"""The ``SalesRepPerformanceDetail`` type: a rep's performance with its trend."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.types.sales_rep_performance import SalesRepPerformanceType
from shopx.api.graphql.types.trend_point import TrendPoint


@strawberry.type(
    name="SalesRepPerformanceDetail",
    description="One rep's performance in a period, with its revenue series.",
)
class SalesRepPerformanceDetail(SalesRepPerformanceType):
    trend: list[TrendPoint] = strawberry.field(
        description="The rep's revenue per bucket (customerCount: its distinct customers)."
    )
