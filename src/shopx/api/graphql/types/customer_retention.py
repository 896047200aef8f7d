"""The ``CustomerRetention`` type: repeat and churn figures over a period."""

from __future__ import annotations

from datetime import datetime

import strawberry

from shopx.analytics.retention import Retention
from shopx.api.graphql.definitions import definition


@strawberry.type(description=definition(Retention))
class CustomerRetention:
    period_start: datetime
    period_end: datetime
    active_customers: int
    new_customers: int
    returning_customers: int = strawberry.field(description=definition(Retention.returning))
    previous_customers: int
    retained_customers: int
    churned_customers: int = strawberry.field(description=definition(Retention.churned))
    retention_rate: float | None = strawberry.field(
        description=definition(Retention.retention_rate)
    )
    churn_rate: float | None = strawberry.field(description=definition(Retention.churn_rate))
    repeat_purchase_rate: float | None = strawberry.field(
        description=definition(Retention.repeat_purchase_rate)
    )

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
            retention_rate=view.retention_rate,
            churn_rate=view.churn_rate,
            repeat_purchase_rate=view.repeat_purchase_rate,
        )
