"""The overview: this span's totals against the previous span's."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
    sessions: async_sessionmaker[AsyncSession],
    span: Span,
    scope: Scope,
    comparison: Comparison = Comparison.PREVIOUS_PERIOD,
) -> Overview:
    """Both spans at once, each in its own session, so PostgreSQL works on them in parallel."""

    async def totals(part: Span) -> SalesTotals:
        async with sessions() as session:
            return await sales_totals(session, part, scope)

    current, previous = await asyncio.gather(
        totals(span), totals(comparison_span(span, comparison, scope.tz))
    )
    return Overview(span, current, previous)
