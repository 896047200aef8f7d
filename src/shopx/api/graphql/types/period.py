"""The ``Period`` enum: the named reporting periods (:mod:`shopx.analytics.periods`)."""

from __future__ import annotations

import strawberry

from shopx.analytics import periods

Period = strawberry.enum(
    periods.Period,
    name="Period",
    description=(
        "Calendar periods cut at local midnight in the business time zone. WEEK starts on "
        "Monday; WEEK, MONTH, QUARTER, YEAR and TODAY run to now. CUSTOM takes dateRange."
    ),
)
