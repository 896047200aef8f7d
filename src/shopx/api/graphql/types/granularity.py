"""The ``Granularity`` enum: a series' bucket size (:mod:`shopx.analytics.buckets`)."""

from __future__ import annotations

import strawberry

from shopx.analytics import buckets

Granularity = strawberry.enum(
    buckets.Granularity,
    name="Granularity",
    description=(
        "Bucket size of a series, in the business time zone. Default: HOUR for TODAY and "
        "YESTERDAY, DAY for weeks and months, WEEK for QUARTER, MONTH for YEAR; by length "
        "for CUSTOM. HOUR covers at most 7 days."
    ),
)
