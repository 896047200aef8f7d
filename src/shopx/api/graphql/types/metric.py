"""The ``Metric`` enum: what a series measures (:mod:`shopx.analytics.trends`)."""

from __future__ import annotations

import strawberry

from shopx.analytics import trends

Metric = strawberry.enum(
    trends.Metric,
    name="Metric",
    description="What a series measures: money in the shop currency, MARGIN in percent.",
)
