"""The ``ReportSalesRep`` type: a sales rep in a report's top list."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.api.graphql.definitions import definition
from shopx.reports.figures import TopRep


@strawberry.type(
    description=f"{definition(TopRep)} Name and region as they were when the report was made."
)
class ReportSalesRep:
    rank: int
    sales_rep_id: strawberry.ID
    name: str
    region: str | None
    total_sales: Decimal
    total_orders: int
    unique_customers: int
    commission_earned: Decimal

    @classmethod
    def of(cls, row: TopRep) -> ReportSalesRep:
        return cls(
            rank=row.rank,
            sales_rep_id=strawberry.ID(str(row.sales_rep_id)),
            name=row.name,
            region=row.region,
            total_sales=money(row.sales_cents),
            total_orders=row.orders,
            unique_customers=row.customers,
            commission_earned=money(row.commission_cents),
        )
