"""The overview: this span's totals against the previous span's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import SalesTotals
from shopx.analytics.periods import Comparison, Span, comparison_span
from shopx.analytics.sales import sales_totals
from shopx.analytics.scope import Scope


@dataclass(frozen=True, slots=True)
class Overview:
    span: Span
    current: SalesTotals
    previous: SalesTotals


async def overview(
    session: AsyncSession,
    span: Span,
    scope: Scope,
    comparison: Comparison = Comparison.PREVIOUS_PERIOD,
) -> Overview:
    previous_span = comparison_span(span, comparison, scope.tz)
    current = await sales_totals(session, span, scope)
    previous = await sales_totals(session, previous_span, scope)
    return Overview(span, current, previous)
