"""GraphQL types of customer analytics: segments, RFM metrics, retention, cohorts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from shopx.analytics.customers import CustomerMetrics, SegmentSummary
from shopx.analytics.metrics import average, money, percentage, ratio
from shopx.analytics.retention import Cohort, Retention
from shopx.customers.types import CustomerType
from shopx.db.models import Segment

RFM_RULES = (
    "RFM scores run 1 to 5 (5 best) among customers with a recognised order: recency (the "
    "local day of the last order, later is better), frequency (order count), monetary "
    "(lifetime value). Score = 1 + floor(5 x buyers with a strictly worse value / buyers), "
    "so equal values score equally. Segments, first rule that holds: NEW (no recognised "
    "order, or the first less than 30 days ago); CHURNED (recency 1, or the last order more "
    "than 180 days ago); AT_RISK (recency 2 with frequency or monetary 3+); PREMIUM "
    "(recency, frequency and monetary all 4+); REGULAR (the rest). Segments are stored on "
    "the customer and recomputed by the segments job (shopx refresh --full)."
)

strawberry.enum(Segment, name="CustomerSegment", description=RFM_RULES)


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


@strawberry.type(
    description=(
        "Customers with a recognised order, this period against the previous one (the span "
        "of equal length ending where this one starts). new: first recognised order ever in "
        "the period; returning: active in the period with an earlier recognised order; "
        "retained: active in both periods; churned: active in the previous period but not "
        "in this one. Rates are plain ratios (0.25 = 25%): retentionRate = retained / "
        "previousCustomers, churnRate = churned / previousCustomers, repeatPurchaseRate = "
        "customers with 2+ orders in the period / activeCustomers."
    )
)
class CustomerRetention:
    period_start: datetime
    period_end: datetime
    active_customers: int
    new_customers: int
    returning_customers: int
    previous_customers: int
    retained_customers: int
    churned_customers: int
    retention_rate: float | None
    churn_rate: float | None
    repeat_purchase_rate: float | None

    @classmethod
    def build(cls, view: Retention, start: datetime, end: datetime) -> CustomerRetention:
        return cls(
            period_start=start,
            period_end=end,
            active_customers=view.active,
            new_customers=view.new,
            returning_customers=view.returning,
            previous_customers=view.previous,
            retained_customers=view.retained,
            churned_customers=view.churned,
            retention_rate=ratio(view.retained, view.previous),
            churn_rate=ratio(view.churned, view.previous),
            repeat_purchase_rate=ratio(view.repeat, view.active),
        )


@strawberry.type(
    name="Cohort",
    description=(
        "Customers whose first recognised order fell in one business-local month. "
        "retention[k]: the share of them (plain ratio) with a recognised order k months "
        "later, up to the running month; retention[0] = 1.0; null for an empty cohort."
    ),
)
class CohortType:
    cohort_month: date = strawberry.field(description="The first day of the cohort's month.")
    size: int
    retention: list[float | None]

    @classmethod
    def build(cls, cohort: Cohort) -> CohortType:
        shares = [ratio(active, cohort.size) for active in cohort.active]
        return cls(cohort_month=cohort.month, size=cohort.size, retention=shares)
