"""The ``Comparison`` enum: what a period is compared with (:mod:`shopx.analytics.periods`)."""

from __future__ import annotations

import strawberry

from shopx.analytics import periods

Comparison = strawberry.enum(
    periods.Comparison,
    name="Comparison",
    description=(
        "PREVIOUS_PERIOD: the span of equal length that ends where this one starts. "
        "PREVIOUS_YEAR: the same calendar span one year earlier."
    ),
)
