"""The ``TrendPoint`` type: one bucket of a series, with its comparison."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.trends import ComparedPoint
from shopx.api.graphql.definitions import definition


@strawberry.type(description="One bucket of a series.")
class TrendPoint:
    timestamp: datetime = strawberry.field(description="Start of the bucket (UTC).")
    label: str = strawberry.field(description="The bucket in the business time zone.")
    value: Decimal | None = strawberry.field(description=definition(ComparedPoint, "value"))
    change: float | None = strawberry.field(description=definition(ComparedPoint.change))
    order_count: int
    customer_count: int
    previous_value: Decimal | None = strawberry.field(
        description=definition(ComparedPoint, "previous_value")
    )
    previous_order_count: int | None = strawberry.field(
        description=definition(ComparedPoint, "previous_orders")
    )

    @classmethod
    def build(cls, each: ComparedPoint) -> TrendPoint:
        return cls(
            timestamp=each.point.bucket.span.start,
            label=each.point.bucket.label,
            value=each.value,
            change=each.change,
            order_count=each.point.totals.orders,
            customer_count=each.point.totals.customers,
            previous_value=each.previous_value,
            previous_order_count=each.previous_orders,
        )
