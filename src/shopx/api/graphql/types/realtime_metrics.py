"""The ``RealtimeMetrics`` type: today so far and the last hour."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry


@strawberry.type(description="Today so far (business time zone), recognised orders only.")
class RealtimeMetrics:
    revenue: Decimal
    orders: int
    average_order_value: Decimal
    customers: int
    orders_last_hour: int
    last_order_time: datetime | None = strawberry.field(description="Newest order, any status.")
    as_of: datetime
