"""The ``CustomerMetrics`` type: a customer's spending in a period and RFM profile."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics import customers
from shopx.analytics.customers import CustomerMetrics
from shopx.analytics.metrics import money
from shopx.analytics.periods import Span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.rfm import Scores
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.customer import CustomerType
from shopx.api.graphql.types.customer_segment import RFM_RULES, Segment
from shopx.auth import Permission


@strawberry.type(name="CustomerMetrics", description=f"{definition(CustomerMetrics)} {RFM_RULES}")
class CustomerMetricsType:
    customer: CustomerType
    order_count: int
    total_spent: Decimal
    average_order_value: Decimal = strawberry.field(
        description=definition(CustomerMetrics.average_order_cents)
    )
    last_order_date: datetime | None = strawberry.field(
        description="The latest recognised order, ever."
    )
    days_since_last_order: int | None = strawberry.field(
        description=definition(CustomerMetrics.days_since_last_order)
    )
    average_days_between_orders: float | None = strawberry.field(
        description=definition(CustomerMetrics.average_days_between_orders)
    )
    recency_score: int | None
    frequency_score: int | None
    monetary_score: int | None
    rfm_score: str | None = strawberry.field(description=definition(Scores.code))
    lifetime_value: Decimal
    segment: Segment = strawberry.field(description="As stored by the last segment recompute.")

    @classmethod
    def build(cls, view: CustomerMetrics) -> CustomerMetricsType:
        customer, rfm = view.customer, view.scores
        return cls(
            customer=CustomerType.from_row(customer),
            order_count=view.orders,
            total_spent=money(view.spent_cents),
            average_order_value=money(view.average_order_cents),
            last_order_date=customer.last_order_at,
            days_since_last_order=view.days_since_last_order,
            average_days_between_orders=view.average_days_between_orders,
            recency_score=rfm.recency if rfm else None,
            frequency_score=rfm.frequency if rfm else None,
            monetary_score=rfm.monetary if rfm else None,
            rfm_score=rfm.code if rfm else None,
            lifetime_value=money(customer.lifetime_value_cents),
            segment=Segment(customer.segment),
        )


async def customer_metrics_of(context: Context, key: int, span: Span) -> CustomerMetricsType:
    context.require(Permission.ANALYTICS_READ)
    async with context.read() as session:
        view = await customers.customer_metrics(
            session, key, span, ReportingRules.of(context.settings), context.now
        )
    return CustomerMetricsType.build(view)
