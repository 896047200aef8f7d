"""Arguments shared by many queries: periods, date ranges, comparisons."""

from __future__ import annotations

from datetime import date

import strawberry

from shopx.analytics.buckets import MAX_POINTS, Granularity, default_granularity
from shopx.analytics.periods import Comparison, Period, Span, resolve
from shopx.analytics.trends import Metric
from shopx.api.graphql.context import Context
from shopx.bounds import MAX_DATE, MIN_DATE
from shopx.errors import BadInput

strawberry.enum(
    Period,
    name="Period",
    description=(
        "Calendar periods cut at local midnight in the business time zone. WEEK starts on "
        "Monday; WEEK, MONTH, QUARTER, YEAR and TODAY run to now. CUSTOM takes dateRange."
    ),
)
strawberry.enum(
    Comparison,
    name="Comparison",
    description=(
        "PREVIOUS_PERIOD: the span of equal length that ends where this one starts. "
        "PREVIOUS_YEAR: the same calendar span one year earlier."
    ),
)


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


strawberry.enum(
    Metric,
    name="Metric",
    description="What a series measures: money in the shop currency, MARGIN in percent.",
)
strawberry.enum(
    Granularity,
    name="Granularity",
    description=(
        "Bucket size of a series, in the business time zone. Default: HOUR for TODAY and "
        "YESTERDAY, DAY for weeks and months, WEEK for QUARTER, MONTH for YEAR; by length "
        "for CUSTOM. HOUR covers at most 7 days."
    ),
)


def period_span(context: Context, period: Period, date_range: DateRangeInput | None) -> Span:
    """The UTC span of a query's ``period`` and ``dateRange`` at request time.

    A ``dateRange`` makes the period CUSTOM whatever ``period`` says, so a client that
    passes only a range gets that range and not the default period.
    """
    bounds = (date_range.start_date, date_range.end_date) if date_range else None
    return resolve(
        effective_period(period, date_range),
        now=context.now,
        tz=context.settings.tz,
        date_range=bounds,
    )


def effective_period(period: Period, date_range: DateRangeInput | None) -> Period:
    return Period.CUSTOM if date_range is not None else period


def series_step(
    period: Period, date_range: DateRangeInput | None, span: Span, granularity: Granularity | None
) -> Granularity:
    """The bucket size asked for, or the default for the (effective) period."""
    return granularity or default_granularity(effective_period(period, date_range), span)


def check_limit(limit: int, field: str = "limit", maximum: int = 100) -> int:
    if not 1 <= limit <= maximum:
        raise BadInput(f"{field} must be between 1 and {maximum}, got {limit}")
    return limit
