"""Sales per customer region or payment mode, and regional performance.

An order's region is its customer's region; a customer without one, and an order without
a payment mode, fall under "" (shown as "Unknown"). Whole local days come from
``rollup_sales_daily`` (keyed by both), the partial days at the edges from raw orders.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import SalesTotals, growth
from shopx.analytics.periods import Comparison, Span, comparison_span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.sales import fold_by_key, in_span, merge_totals, raw_query, rollup_query
from shopx.analytics.spans import cover_quiet_days
from shopx.db.models import Customer, Order
from shopx.rollups.tables import SalesDaily

UNKNOWN = "Unknown"


class SalesColumn(enum.Enum):
    REGION = "region"
    PAYMENT_MODE = "payment_mode"


def _customer_region() -> object:
    return func.coalesce(Customer.region, literal(""))


async def sales_by(
    session: AsyncSession, span: Span, rules: ReportingRules, column: SalesColumn
) -> dict[str, SalesTotals]:
    """Sales per region or payment mode ("" for none); keys with no order at all left out."""
    cover = await cover_quiet_days(session, span, rules.tz)
    result: dict[str, SalesTotals] = {}
    parts = []
    if cover.days is not None:
        parts.append(rollup_query(cover.days, getattr(SalesDaily, column.value)))
    for edge in cover.edges:
        if column is SalesColumn.REGION:
            query = raw_query(edge, _customer_region()).join(
                Customer, Customer.id == Order.customer_id
            )
        else:
            query = raw_query(edge, func.coalesce(Order.payment_mode, literal("")))
        parts.append(query)
    for query in parts:
        merge_totals(result, fold_by_key(await session.execute(query), rules.statuses))
    return result


async def region_customers(
    session: AsyncSession, span: Span, rules: ReportingRules
) -> dict[str, int]:
    """Distinct customers with a recognised order in the span, per customer region."""
    region = _customer_region()
    rows = await session.execute(
        select(region, func.count(func.distinct(Order.customer_id)))
        .join(Customer, Customer.id == Order.customer_id)
        .where(*in_span(span, rules.statuses))
        .group_by(region)
    )
    return {key: int(count) for key, count in rows}


@dataclass(frozen=True, slots=True)
class RegionPerformance:
    """Sales of the customers of one region (an order's region is its customer's)."""

    region: str
    """The customers' region, "" for none."""
    totals: SalesTotals
    previous_revenue_cents: int

    @property
    def name(self) -> str:
        return self.region or UNKNOWN

    @property
    def growth(self) -> float | None:
        """Revenue change vs the previous period (equal length, ending where this one
        starts), in %; null when the region had no revenue then."""
        return growth(self.totals.revenue_cents, self.previous_revenue_cents)


async def regional_performance(
    session: AsyncSession, span: Span, rules: ReportingRules
) -> list[RegionPerformance]:
    """Regions with recognised sales in the span or the previous period, by revenue."""
    earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, rules.tz)
    now = await sales_by(session, span, rules, SalesColumn.REGION)
    before = await sales_by(session, earlier, rules, SalesColumn.REGION)
    customers = await region_customers(session, span, rules)
    regions = {key for part in (now, before) for key, totals in part.items() if totals.orders}
    result = []
    for region in regions:
        totals = now.get(region, SalesTotals())
        totals.customers = customers.get(region, 0)
        previous = before.get(region, SalesTotals()).revenue_cents
        result.append(RegionPerformance(region, totals, previous))
    result.sort(key=lambda row: (-row.totals.revenue_cents, row.region))
    return result
