"""The ``RealtimeMetrics`` type: today so far and the last hour."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.analytics.realtime import Realtime
from shopx.api.graphql.definitions import definition


@strawberry.type(description=definition(Realtime))
class RealtimeMetrics:
    revenue: Decimal
    orders: int
    average_order_value: Decimal
    customers: int
    orders_last_hour: int = strawberry.field(description=definition(Realtime, "orders_last_hour"))
    last_order_time: datetime | None = strawberry.field(
        description=definition(Realtime, "last_order_at")
    )
    as_of: datetime

    @classmethod
    def build(cls, view: Realtime, as_of: datetime) -> RealtimeMetrics:
        today = view.today
        return cls(
            revenue=money(today.revenue_cents),
            orders=today.orders,
            average_order_value=money(today.average_order_value),
            customers=today.customers,
            orders_last_hour=view.orders_last_hour,
            last_order_time=view.last_order_at,
            as_of=as_of,
        )
