"""The ``RegionalPerformance`` type: a region's sales over a period."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import SalesTotals, money
from shopx.analytics.regions import RegionPerformance
from shopx.api.graphql.definitions import definition


@strawberry.type(description=f"{definition(RegionPerformance)} {definition(SalesTotals)}")
class RegionalPerformance:
    region: str = strawberry.field(description='The region; "Unknown" for customers without one.')
    revenue: Decimal
    orders: int
    customers: int = strawberry.field(description="Distinct customers with a recognised order.")
    profit: Decimal = strawberry.field(description=definition(SalesTotals.profit_cents))
    profit_margin: float | None = strawberry.field(
        description=definition(SalesTotals.profit_margin)
    )
    growth: float | None = strawberry.field(description=definition(RegionPerformance.growth))

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
