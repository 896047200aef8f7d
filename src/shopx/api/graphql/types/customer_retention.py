"""The ``CustomerRetention`` type: repeat and churn figures over a period."""

from __future__ import annotations

from datetime import datetime

import strawberry

from shopx.analytics.metrics import ratio
from shopx.analytics.retention import Retention


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
