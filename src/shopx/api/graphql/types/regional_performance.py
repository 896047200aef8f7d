"""The ``RegionalPerformance`` type: a region's sales over a period."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.analytics.regions import RegionPerformance
from shopx.api.graphql.types.descriptions import ORDER_SALES


@strawberry.type(
    description=(
        f"Sales of the customers of one region (an order's region is its customer's). {ORDER_SALES}"
    )
)
class RegionalPerformance:
    region: str = strawberry.field(description='The region; "Unknown" for customers without one.')
    revenue: Decimal
    orders: int
    customers: int = strawberry.field(description="Distinct customers with a recognised order.")
    profit: Decimal = strawberry.field(description="Item sales - cost - discount.")
    profit_margin: float | None = strawberry.field(description="Profit / revenue, in %.")
    growth: float | None = strawberry.field(
        description=(
            "Revenue change vs the previous period (equal length, ending where this one "
            "starts), in %; null when the region had no revenue then."
        )
    )

    @classmethod
    def build(cls, row: RegionPerformance) -> RegionalPerformance:
        totals = row.totals
        return cls(
            region=row.name,
            revenue=money(totals.revenue_cents),
            orders=totals.orders,
            customers=totals.customers,
            profit=money(totals.profit_cents),
            profit_margin=totals.profit_margin,
            growth=row.growth,
        )
