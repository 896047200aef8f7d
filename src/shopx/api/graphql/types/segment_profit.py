"""The ``SegmentProfit`` type: a customer segment's profit."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import SalesTotals, money
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.customer_segment import Segment


@strawberry.type(
    description=f"Orders of the customers now in one segment. {definition(SalesTotals)}"
)
class SegmentProfit:
    segment: Segment
    orders: int
    revenue: Decimal
    cost: Decimal
    discount: Decimal
    profit: Decimal
    margin: float | None = strawberry.field(description=definition(SalesTotals.profit_margin))

    @classmethod
    def build(cls, segment: Segment, totals: SalesTotals) -> SegmentProfit:
        return cls(
            segment=segment,
            orders=totals.orders,
            revenue=money(totals.revenue_cents),
            cost=money(totals.cost_cents),
            discount=money(totals.discount_cents),
            profit=money(totals.profit_cents),
            margin=totals.profit_margin,
        )
