"""The ``CustomerSegmentSummary`` type: one RFM segment's size and value."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.customers import SegmentSummary
from shopx.analytics.metrics import average, money, percentage
from shopx.api.graphql.types.customer_segment import Segment


@strawberry.type(
    description=(
        "One segment's customers, from their lifetime statistics (every customer counted, "
        "the ones who never bought too)."
    )
)
class CustomerSegmentSummary:
    segment: Segment
    customer_count: int
    total_revenue: Decimal = strawberry.field(description="Sum of the customers' lifetime value.")
    average_lifetime_value: Decimal
    average_order_value: Decimal = strawberry.field(
        description="Total lifetime value / total recognised orders of the segment."
    )
    percentage: float | None = strawberry.field(description="Share of all customers, in %.")

    @classmethod
    def build(cls, row: SegmentSummary, all_customers: int) -> CustomerSegmentSummary:
        return cls(
            segment=row.segment,
            customer_count=row.customers,
            total_revenue=money(row.lifetime_cents),
            average_lifetime_value=money(average(row.lifetime_cents, row.customers)),
            average_order_value=money(average(row.lifetime_cents, row.orders)),
            percentage=percentage(row.customers, all_customers),
        )
