"""``DateRangeInput``: a custom reporting range in business-local calendar dates."""

from __future__ import annotations

from datetime import date

import strawberry

from shopx.analytics.buckets import MAX_POINTS
from shopx.bounds import MAX_DATE, MIN_DATE


@strawberry.input(
    description=(
        "Calendar dates in the business time zone, both inclusive, from "
        f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}; startDate not after endDate. "
        "Given with any period, the range wins (the period is taken as CUSTOM). A series "
        f"holds at most {MAX_POINTS} points (DAY over about three years)."
    )
)
class DateRangeInput:
    start_date: date
    end_date: date
