"""The ``SalesRepPerformance`` type: a rep's sales and commission over a period."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import SalesTotals, money
from shopx.analytics.reps import RepPerformance
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.sales_rep import SalesRepType


@strawberry.type(
    name="SalesRepPerformance",
    description=f"{definition(RepPerformance)} {definition(SalesTotals)}",
)
class SalesRepPerformanceType:
    sales_rep: SalesRepType
    total_orders: int
    total_sales: Decimal
    average_order_value: Decimal
    commission_earned: Decimal = strawberry.field(description=definition(RepPerformance.commission))
    unique_customers: int
    total_profit: Decimal = strawberry.field(description=definition(SalesTotals.profit_cents))
    rank: int | None = strawberry.field(description=definition(RepPerformance, "rank"))

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
