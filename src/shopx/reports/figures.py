"""A report's figures, computed by the functions behind the API's ``salesOverview``,
``topProducts`` and ``topSalesReps`` over the API's CUSTOM period of the same days, so a
report says exactly what the API says of its period. Money is integer cents (an average
rounded half up to the cent once, as the API shows it)."""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shopx.analytics import products, reps
from shopx.analytics.metrics import money
from shopx.analytics.overview import Compared, Overview, overview
from shopx.analytics.periods import Comparison, Span, comparison_span
from shopx.analytics.reporting import ReportingRules
from shopx.db.models import Product

TOP = 5
"""Products and reps in a report's top lists."""

MEASURES: dict[str, tuple[Compared, bool]] = {
    "revenue": ("revenue_cents", True),
    "orders": ("orders", False),
    "aov": ("average_order_value", True),
    "customers": ("customers", False),
    "units": ("units", False),
    "profit": ("profit_cents", True),
}
"""The headline figures: name -> (the overview's measure, whether it is money)."""


def cents(value: int | Fraction) -> int:
    """Cents rounded as the API shows them (half up, once)."""
    return int(money(value).scaleb(2))


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline figure against the previous period (money in cents)."""

    value: int
    previous: int
    change: int
    change_percentage: float | None
    """Change in % of the previous value (23.5 = 23.5%); null when the previous was zero."""


@dataclass(frozen=True, slots=True)
class TopProduct:
    """A product's item sales (before order discounts, as ``topProducts`` counts them)."""

    rank: int
    product_id: int
    name: str
    sku: str
    revenue_cents: int
    units: int
    orders: int


@dataclass(frozen=True, slots=True)
class TopRep:
    """A rep's recognised sales, net of discount (as ``topSalesReps`` counts them)."""

    rank: int
    sales_rep_id: int
    name: str
    region: str | None
    sales_cents: int
    orders: int
    customers: int
    commission_cents: int


@dataclass(frozen=True, slots=True)
class Figures:
    """A report's figures: the period's headline figures against the previous period of
    equal length (the API's comparison), and its top products and reps."""

    data_version: int
    """The database's write counter when the figures were computed."""
    period: Span
    previous_period: Span
    headlines: dict[str, Headline]
    top_products: list[TopProduct]
    top_reps: list[TopRep]

    def to_json(self) -> dict[str, Any]:
        return {
            "data_version": self.data_version,
            "period": _span_json(self.period),
            "previous_period": _span_json(self.previous_period),
            "headlines": {name: asdict(line) for name, line in self.headlines.items()},
            "top_products": [asdict(row) for row in self.top_products],
            "top_reps": [asdict(row) for row in self.top_reps],
        }

    @classmethod
    def of(cls, data: dict[str, Any]) -> Figures:
        return cls(
            data_version=int(data["data_version"]),
            period=_span_of(data["period"]),
            previous_period=_span_of(data["previous_period"]),
            headlines={name: Headline(**line) for name, line in data["headlines"].items()},
            top_products=[TopProduct(**row) for row in data["top_products"]],
            top_reps=[TopRep(**row) for row in data["top_reps"]],
        )

    def same_figures(self, other: Figures) -> bool:
        """The same numbers, whatever the write counter said."""
        return self.to_json() | {"data_version": 0} == other.to_json() | {"data_version": 0}


def _span_json(span: Span) -> dict[str, str]:
    return {"start": span.start.isoformat(), "end": span.end.isoformat()}


def _span_of(data: dict[str, str]) -> Span:
    return Span(datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]))


def headlines(view: Overview) -> dict[str, Headline]:
    lines = {}
    for name, (measure, is_money) in MEASURES.items():
        shown = cents if is_money else int
        value, previous = getattr(view.current, measure), getattr(view.previous, measure)
        change = view.difference(measure)
        lines[name] = Headline(shown(value), shown(previous), shown(change), view.growth(measure))
    return lines


async def _top_products(
    session: AsyncSession, span: Span, rules: ReportingRules
) -> list[TopProduct]:
    rows = await products.top_products(session, span, rules, limit=TOP)
    ids = [row.product_id for row in rows]
    found = await session.execute(
        select(Product.id, Product.name, Product.sku).where(Product.id.in_(ids))
    )
    names = {key: (name, sku) for key, name, sku in found}
    return [
        TopProduct(
            row.rank,
            row.product_id,
            *names[row.product_id],
            row.totals.item_sales_cents,
            row.totals.units,
            row.totals.orders,
        )
        for row in rows
    ]


async def _top_reps(session: AsyncSession, span: Span, rules: ReportingRules) -> list[TopRep]:
    rows = await reps.top_reps(session, span, rules, limit=TOP)
    return [
        TopRep(
            position,
            row.rep.id,
            row.rep.name,
            row.rep.region,
            row.totals.revenue_cents,
            row.totals.orders,
            row.totals.customers,
            cents(row.commission),
        )
        for position, row in enumerate(rows, start=1)
    ]


async def compute_figures(
    sessions: async_sessionmaker[AsyncSession], span: Span, rules: ReportingRules, data_version: int
) -> Figures:
    """The figures of ``span``; ``data_version`` is the write counter read before computing
    (a write meanwhile makes the report look older than it is, never newer)."""

    async def top_products() -> list[TopProduct]:
        async with sessions() as session:
            return await _top_products(session, span, rules)

    async def top_reps() -> list[TopRep]:
        async with sessions() as session:
            return await _top_reps(session, span, rules)

    view, best, leaders = await asyncio.gather(
        overview(sessions, span, rules), top_products(), top_reps()
    )
    earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, rules.tz)
    return Figures(data_version, span, earlier, headlines(view), best, leaders)
