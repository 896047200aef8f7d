"""Order-level sales over a span: revenue, orders, units, cost, discount, customers.

Whole local days come from ``rollup_sales_daily``; the partial days at a span's edges
from raw orders. Both give rows of (keys..., status, measures...) in the order of
:data:`shopx.rollups.measures.ORDER_MEASURES`, folded by :func:`fold` into the
:class:`SalesTotals` fields of the same names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import SalesTotals
from shopx.analytics.periods import Span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.spans import cover_quiet_days
from shopx.db.models import Order, OrderItem
from shopx.rollups.measures import ORDER_MEASURES, ORDERS, order_measures, per_order_lines
from shopx.rollups.tables import RepDaily, SalesDaily

CANCELLED = "CANCELLED"


def _add_row(
    totals: SalesTotals, status: str, measures: Sequence[Any], statuses: tuple[str, ...]
) -> None:
    values = dict(zip(ORDER_MEASURES, (int(value) for value in measures), strict=True))
    if status in statuses:
        for name, value in values.items():
            setattr(totals, name, getattr(totals, name) + value)
    if status == CANCELLED:
        totals.cancelled_orders += values[ORDERS]
        totals.cancelled_revenue_cents += values["revenue_cents"]


def fold(rows: Iterable[Sequence[Any]], statuses: tuple[str, ...]) -> SalesTotals:
    """Rows of (status, *ORDER_MEASURES) -> totals."""
    totals = SalesTotals()
    for status, *measures in rows:
        _add_row(totals, status, measures, statuses)
    return totals


def fold_by_key(rows: Iterable[Sequence[Any]], statuses: tuple[str, ...]) -> dict[Any, SalesTotals]:
    """Rows of (key, status, *ORDER_MEASURES) -> totals per key."""
    grouped: dict[Any, SalesTotals] = {}
    for key, status, *measures in rows:
        _add_row(grouped.setdefault(key, SalesTotals()), status, measures, statuses)
    return grouped


def merge_totals(target: dict[Any, SalesTotals], source: dict[Any, SalesTotals]) -> None:
    """Add each key's totals of ``source`` into ``target``'s."""
    for key, totals in source.items():
        target.setdefault(key, SalesTotals())
        target[key] += totals


def rollup_query(
    days: tuple[date, date], *keys: Any, table: type[SalesDaily | RepDaily] = SalesDaily
) -> Select[Any]:
    """(keys..., status, *ORDER_MEASURES) from an order rollup over whole local days."""
    return (
        select(
            *keys,
            table.status,
            *(func.sum(getattr(table, name)) for name in ORDER_MEASURES),
        )
        .where(table.day.between(*days))
        .group_by(*keys, table.status)
    )


def raw_query(span: Span, *keys: Any) -> Select[Any]:
    """(keys..., status, *ORDER_MEASURES) from raw orders and items inside ``span``."""
    lines = (
        per_order_lines()
        .where(OrderItem.ordered_at >= span.start, OrderItem.ordered_at < span.end)
        .subquery()
    )
    return (
        select(*keys, Order.status, *order_measures(lines))
        .outerjoin(lines, lines.c.order_id == Order.id)
        .where(Order.ordered_at >= span.start, Order.ordered_at < span.end)
        .group_by(*keys, Order.status)
    )


def in_span(span: Span, statuses: tuple[str, ...]) -> tuple[Any, ...]:
    """WHERE clauses: recognised orders inside ``span``."""
    return (Order.status.in_(statuses), Order.ordered_at >= span.start, Order.ordered_at < span.end)


async def distinct_customers(session: AsyncSession, span: Span, statuses: tuple[str, ...]) -> int:
    """Customers with at least one recognised order in the span (index-only on PostgreSQL)."""
    query = select(func.count(func.distinct(Order.customer_id))).where(*in_span(span, statuses))
    return int((await session.execute(query)).scalar_one())


async def sales_totals(session: AsyncSession, span: Span, rules: ReportingRules) -> SalesTotals:
    cover = await cover_quiet_days(session, span, rules.tz)
    totals = SalesTotals()
    if cover.days is not None:
        totals += fold(await session.execute(rollup_query(cover.days)), rules.statuses)
    for edge in cover.edges:
        totals += fold(await session.execute(raw_query(edge)), rules.statuses)
    totals.customers = await distinct_customers(session, span, rules.statuses)
    return totals


async def last_order_at(session: AsyncSession) -> datetime | None:
    """The newest order's time, whatever its status."""
    return (await session.execute(select(func.max(Order.ordered_at)))).scalar_one()


async def orders_since(session: AsyncSession, moment: datetime, rules: ReportingRules) -> int:
    """Recognised orders placed at or after ``moment``."""
    query = select(func.count()).where(Order.status.in_(rules.statuses), Order.ordered_at >= moment)
    return int((await session.execute(query)).scalar_one())
