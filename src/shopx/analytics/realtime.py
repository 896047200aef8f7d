"""Realtime figures: today so far and the last hour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import SalesTotals
from shopx.analytics.periods import Period, resolve
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.sales import last_order_at, orders_since, sales_totals

LAST_HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Realtime:
    """Today so far (the business-local day up to now), recognised orders only."""

    today: SalesTotals
    orders_last_hour: int
    """Recognised orders placed in the hour up to now."""
    last_order_at: datetime | None
    """The newest order, whatever its status."""


async def realtime(session: AsyncSession, now: datetime, rules: ReportingRules) -> Realtime:
    """Today's totals, the last hour's recognised orders and the newest order at ``now``."""
    today = resolve(Period.TODAY, now=now, tz=rules.tz)
    return Realtime(
        today=await sales_totals(session, today, rules),
        orders_last_hour=await orders_since(session, now - LAST_HOUR, rules),
        last_order_at=await last_order_at(session),
    )
