"""The ``ReportProduct`` type: a product in a report's top list."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.api.graphql.definitions import definition
from shopx.reports.figures import TopProduct


@strawberry.type(
    description=f"{definition(TopProduct)} Name and SKU as they were when the report was made."
)
class ReportProduct:
    rank: int
    product_id: strawberry.ID
    name: str
    sku: str
    revenue: Decimal
    units_sold: int
    order_count: int

    @classmethod
    def of(cls, row: TopProduct) -> ReportProduct:
        return cls(
            rank=row.rank,
            product_id=strawberry.ID(str(row.product_id)),
            name=row.name,
            sku=row.sku,
            revenue=money(row.revenue_cents),
            units_sold=row.units,
            order_count=row.orders,
        )
