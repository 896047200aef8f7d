"""The overview: this span's totals against the previous span's."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shopx.analytics.metrics import SalesTotals, growth, percentage
from shopx.analytics.periods import Comparison, Span, comparison_span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.sales import sales_totals

Compared = Literal[
    "revenue_cents", "orders", "average_order_value", "customers", "units", "profit_cents"
]
"""The measures an overview compares with the comparison period."""


@dataclass(frozen=True, slots=True)
class Overview:
    """Sales over a period against the comparison period (the previous period or year).
    Revenue counts orders whose status is recognised (SHOPX_REVENUE_STATUSES, COMPLETED by
    default), net of discount; refunds and cancellations count against the order's own
    date, so a past period can go down."""

    span: Span
    current: SalesTotals
    previous: SalesTotals

    def difference(self, measure: Compared) -> int | Fraction:
        """This period's value minus the comparison period's."""
        return getattr(self.current, measure) - getattr(self.previous, measure)

    def growth(self, measure: Compared) -> float | None:
        """Change vs the comparison period, in % of the comparison's value (23.5 = 23.5%;
        of its magnitude when negative, so a rise from a loss is positive); null when the
        comparison's value is zero."""
        return growth(getattr(self.current, measure), getattr(self.previous, measure))

    @property
    def margin_change(self) -> float | None:
        """This period's profit margin minus the comparison period's, in percentage points
        (2.5 = from 20% to 22.5%); null when either period has no revenue (no margin)."""
        now, before = self.current, self.previous
        if not now.revenue_cents or not before.revenue_cents:
            return None
        exact = Fraction(now.profit_cents, now.revenue_cents) - Fraction(
            before.profit_cents, before.revenue_cents
        )
        return percentage(exact, 1)


async def overview(
    sessions: async_sessionmaker[AsyncSession],
    span: Span,
    rules: ReportingRules,
    comparison: Comparison = Comparison.PREVIOUS_PERIOD,
) -> Overview:
    """Both spans at once, each in its own session, so PostgreSQL works on them in parallel."""

    async def totals(part: Span) -> SalesTotals:
        async with sessions() as session:
            return await sales_totals(session, part, rules)

    current, previous = await asyncio.gather(
        totals(span), totals(comparison_span(span, comparison, rules.tz))
    )
    return Overview(span, current, previous)
