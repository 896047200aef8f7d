"""The ``DashboardOverview`` type: the dashboard's first page in one answer."""

from __future__ import annotations

from datetime import datetime

import strawberry

from shopx.analytics.dashboard import DASHBOARD_TOP
from shopx.api.graphql.types.category_insight import CategoryInsight
from shopx.api.graphql.types.customer_segment_summary import CustomerSegmentSummary
from shopx.api.graphql.types.product_insight import ProductInsight
from shopx.api.graphql.types.sales_overview import SalesOverview
from shopx.api.graphql.types.sales_rep_performance import SalesRepPerformanceType
from shopx.api.graphql.types.trend_point import TrendPoint


@strawberry.type(description="Everything the dashboard page shows, for one period.")
class DashboardOverview:
    overview: SalesOverview
    trend: list[TrendPoint] = strawberry.field(description="Revenue per bucket (default size).")
    top_products: list[ProductInsight] = strawberry.field(
        description=f"Top {DASHBOARD_TOP} by revenue."
    )
    category_breakdown: list[CategoryInsight]
    customer_segments: list[CustomerSegmentSummary]
    top_sales_reps: list[SalesRepPerformanceType] = strawberry.field(
        description=f"Top {DASHBOARD_TOP} by sales."
    )
    generated_at: datetime
