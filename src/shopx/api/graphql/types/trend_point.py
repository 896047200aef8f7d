"""The ``TrendPoint`` type: one bucket of a series, with its comparison."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.metrics import growth
from shopx.analytics.trends import Point, metric_value
from shopx.api.graphql.types.metric import Metric


@strawberry.type(description="One bucket of a series.")
class TrendPoint:
    timestamp: datetime = strawberry.field(description="Start of the bucket (UTC).")
    label: str = strawberry.field(description="The bucket in the business time zone.")
    value: Decimal | None = strawberry.field(description="The metric; null when undefined.")
    change: float | None = strawberry.field(description="Change vs the previous point, in %.")
    order_count: int
    customer_count: int
    previous_value: Decimal | None = strawberry.field(
        description="The same bucket of the previous period (when compare is on)."
    )


def trend_points(points: list[Point], previous: list[Point], metric: Metric) -> list[TrendPoint]:
    result: list[TrendPoint] = []
    last: Decimal | None = None
    for index, point in enumerate(points):
        value = metric_value(point.totals, metric)
        before = metric_value(previous[index].totals, metric) if index < len(previous) else None
        result.append(
            TrendPoint(
                timestamp=point.bucket.span.start,
                label=point.bucket.label,
                value=value,
                change=growth(value, last) if value is not None and last is not None else None,
                order_count=point.totals.orders,
                customer_count=point.totals.customers,
                previous_value=before,
            )
        )
        last = value
    return result
