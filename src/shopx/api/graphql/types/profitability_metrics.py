"""The ``ProfitabilityMetrics`` type: profit over a period, by category and segment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.metrics import SalesTotals, money
from shopx.analytics.periods import Span
from shopx.analytics.profitability import TOP_PRODUCTS, Profitability
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.category_profit import CategoryProfit
from shopx.api.graphql.types.product_insight import ProductInsight
from shopx.api.graphql.types.segment_profit import SegmentProfit


@strawberry.type(description=definition(Profitability))
class ProfitabilityMetrics:
    period_start: datetime
    period_end: datetime
    total_revenue: Decimal
    total_cost: Decimal
    total_discount: Decimal
    total_profit: Decimal
    profit_margin: float | None = strawberry.field(
        description=definition(SalesTotals.profit_margin)
    )
    average_order_profit: Decimal = strawberry.field(
        description=definition(SalesTotals.average_order_profit)
    )
    by_category: list[CategoryProfit]
    by_product: list[ProductInsight] = strawberry.field(
        description=f"The top {TOP_PRODUCTS} by profit."
    )
    by_customer_segment: list[SegmentProfit]

    @classmethod
    def build(
        cls, view: Profitability, span: Span, products: list[ProductInsight]
    ) -> ProfitabilityMetrics:
        totals = view.totals
        return cls(
            period_start=span.start,
            period_end=span.end,
            total_revenue=money(totals.revenue_cents),
            total_cost=money(totals.cost_cents),
            total_discount=money(totals.discount_cents),
            total_profit=money(totals.profit_cents),
            profit_margin=totals.profit_margin,
            average_order_profit=money(totals.average_order_profit),
            by_category=[CategoryProfit.build(*row) for row in view.categories],
            by_product=products,
            by_customer_segment=[
                SegmentProfit.build(segment, sums) for segment, sums in view.segments.items()
            ],
        )
