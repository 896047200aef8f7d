"""Arguments shared by many queries: a period or date range as a span, a series step, a limit."""

from __future__ import annotations

from shopx.analytics.buckets import default_granularity
from shopx.analytics.periods import Span, resolve
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.types.granularity import Granularity
from shopx.api.graphql.types.period import Period
from shopx.errors import BadInput


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
