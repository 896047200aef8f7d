"""GraphQL types of sales-rep and regional performance."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.analytics.regions import RegionPerformance
from shopx.analytics.reps import RepPerformance
from shopx.analytics.types import TrendPoint
from shopx.reps.types import SalesRepType

ORDER_SALES = (
    "Recognised orders only, revenue net of discount; refunds and cancellations count "
    "against the order's own date."
)


@strawberry.type(
    name="SalesRepPerformance",
    description=(
        f"A sales rep's orders in a period. {ORDER_SALES} commissionEarned = totalSales x "
        "the rep's commission rate, rounded to the cent once."
    ),
)
class SalesRepPerformanceType:
    sales_rep: SalesRepType
    total_orders: int
    total_sales: Decimal
    average_order_value: Decimal
    commission_earned: Decimal
    unique_customers: int
    total_profit: Decimal = strawberry.field(description="Item sales - cost - discount.")
    rank: int | None = strawberry.field(
        description=(
            "Position among the reps with sales in the period (by totalSales, ties by id); "
            "null when the rep sold nothing."
        )
    )

    @classmethod
    def fields_of(cls, row: RepPerformance) -> dict[str, object]:
        totals = row.totals
        return {
            "sales_rep": SalesRepType.from_row(row.rep),
            "total_orders": totals.orders,
            "total_sales": money(totals.revenue_cents),
            "average_order_value": money(totals.average_order_value),
            "commission_earned": money(row.commission),
            "unique_customers": totals.customers,
            "total_profit": money(totals.profit_cents),
            "rank": row.rank,
        }

    @classmethod
    def build(cls, row: RepPerformance) -> SalesRepPerformanceType:
        return cls(**cls.fields_of(row))  # type: ignore[arg-type]


@strawberry.type(
    name="SalesRepPerformanceDetail",
    description="One rep's performance in a period, with its revenue series.",
)
class SalesRepPerformanceDetail(SalesRepPerformanceType):
    trend: list[TrendPoint] = strawberry.field(
        description="The rep's revenue per bucket (customerCount: its distinct customers)."
    )


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
