"""The ``CustomerMetrics`` type: a customer's spending in a period and RFM profile."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics import customers
from shopx.analytics.customers import CustomerMetrics
from shopx.analytics.metrics import average, money
from shopx.analytics.periods import Span
from shopx.analytics.scope import Scope
from shopx.api.graphql.context import Context
from shopx.api.graphql.types.customer import CustomerType
from shopx.api.graphql.types.customer_segment import RFM_RULES, Segment
from shopx.auth import Permission
from shopx.db.models import Customer
from shopx.db.rows import get_row


@strawberry.type(
    name="CustomerMetrics",
    description=(
        "A customer's spending in a period and lifetime RFM profile. orderCount, totalSpent "
        "and averageOrderValue cover recognised orders in the period (net of discount); the "
        f"rest is lifetime. {RFM_RULES}"
    ),
)
class CustomerMetricsType:
    customer: CustomerType
    order_count: int
    total_spent: Decimal
    average_order_value: Decimal
    last_order_date: datetime | None = strawberry.field(
        description="The latest recognised order, ever."
    )
    days_since_last_order: int | None = strawberry.field(
        description="Business-local calendar days from the last recognised order to today."
    )
    average_days_between_orders: float | None = strawberry.field(
        description="(last - first recognised order) / (orders - 1), in days; null below two."
    )
    recency_score: int | None
    frequency_score: int | None
    monetary_score: int | None
    rfm_score: str | None = strawberry.field(description='The three scores, e.g. "545".')
    lifetime_value: Decimal
    segment: Segment = strawberry.field(description="As stored by the last segment recompute.")

    @classmethod
    def build(cls, view: CustomerMetrics) -> CustomerMetricsType:
        customer, rfm = view.customer, view.scores
        return cls(
            customer=CustomerType.from_row(customer),
            order_count=view.orders,
            total_spent=money(view.spent_cents),
            average_order_value=money(average(view.spent_cents, view.orders)),
            last_order_date=customer.last_order_at,
            days_since_last_order=view.days_since_last,
            average_days_between_orders=view.average_days_between,
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
        customer = await get_row(session, Customer, key)
        view = await customers.customer_metrics(
            session, customer, span, Scope.of(context.settings), context.now
        )
    return CustomerMetricsType.build(view)
