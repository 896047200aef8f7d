"""The ``CustomerSegmentSummary`` type: one RFM segment's size and value."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.customers import SegmentSummary
from shopx.analytics.metrics import money
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.customer_segment import Segment


@strawberry.type(description=definition(SegmentSummary))
class CustomerSegmentSummary:
    segment: Segment
    customer_count: int
    total_revenue: Decimal = strawberry.field(
        description=definition(SegmentSummary, "lifetime_cents")
    )
    average_lifetime_value: Decimal = strawberry.field(
        description=definition(SegmentSummary.average_lifetime_cents)
    )
    average_order_value: Decimal = strawberry.field(
        description=definition(SegmentSummary.average_order_cents)
    )
    percentage: float | None = strawberry.field(description=definition(SegmentSummary.share))

    @classmethod
    def build(cls, row: SegmentSummary) -> CustomerSegmentSummary:
        return cls(
            segment=row.segment,
            customer_count=row.customers,
            total_revenue=money(row.lifetime_cents),
            average_lifetime_value=money(row.average_lifetime_cents),
            average_order_value=money(row.average_order_cents),
            percentage=row.share,
        )
