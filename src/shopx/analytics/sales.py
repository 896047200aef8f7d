"""Order-level sales over a span: revenue, orders, units, cost, discount, customers.

Whole local days come from ``rollup_sales_daily``; the partial days at a span's edges
from ``rollup_sales_quarter_hourly`` and, for the minutes outside its quarters, from raw
orders. Both give rows of (keys..., status, measures...) in the order of
:data:`shopx.rollups.measures.ORDER_MEASURES`, folded by :func:`fold` into the
:class:`SalesTotals` fields of the same names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import CompoundSelect, Select, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shopx.analytics.metrics import SalesTotals
from shopx.analytics.periods import Span, days_span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.spans import DayCover, cover_quiet_days, placed_in
from shopx.calendar import local_day, quarter_hour_of, quarter_hour_start
from shopx.db.dialect import integer_sum
from shopx.db.models import Order, OrderItem
from shopx.rollups.customer_days import customers_on_days
from shopx.rollups.measures import ORDER_MEASURES, ORDERS, order_measures, per_order_lines
from shopx.rollups.tables import RepDaily, SalesDaily, SalesQuarterHourly

CANCELLED = "CANCELLED"
ONE_DAY = timedelta(days=1)
ZERO = timedelta(0)
LOOKUPS_FROM = 32
"""Customers are looked up one by one when the span around an edge is this many times
longer than it (a hashed order costs ~0.2 us, a lookup ~6 us, at L)."""


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
    return _summed(table, table.day.between(*days), *keys)


def quarters_query(quarters: tuple[int, int], *keys: Any) -> Select[Any]:
    """(keys..., status, *ORDER_MEASURES) from ``rollup_sales_quarter_hourly`` over the
    quarters of an hour ``quarters`` (the first and the last)."""
    return _summed(SalesQuarterHourly, SalesQuarterHourly.quarter_hour.between(*quarters), *keys)


def _summed(table: Any, where: Any, *keys: Any) -> Select[Any]:
    return (
        select(*keys, table.status, *(integer_sum(getattr(table, name)) for name in ORDER_MEASURES))
        .where(where)
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


def edge_query(edge: Span) -> Select[Any] | CompoundSelect:
    """(status, *ORDER_MEASURES) rows over ``edge``, a part of a day: its whole quarters of
    an hour from ``rollup_sales_quarter_hourly``, the minutes around them from raw orders (at
    scale L, half a day read raw took ~20 ms; its quarters are ~50 rows)."""
    quarters, minutes = quarters_and_minutes(edge)
    parts = [raw_query(part) for part in minutes]
    if quarters is not None:
        parts.append(quarters_query(quarters))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def quarters_and_minutes(span: Span) -> tuple[tuple[int, int] | None, list[Span]]:
    """The whole quarters of an hour inside ``span`` (the first and the last), and the parts
    of ``span`` before and after them (all of it when it holds no whole quarter)."""
    first = quarter_hour_of(span.start)
    if quarter_hour_start(first) < span.start:
        first += 1
    last = quarter_hour_of(span.end) - 1
    if first > last:
        return None, [span]
    around = (
        Span(span.start, quarter_hour_start(first)),
        Span(quarter_hour_start(last + 1), span.end),
    )
    return (first, last), [part for part in around if part.duration]


def in_span(span: Span, statuses: tuple[str, ...]) -> tuple[Any, ...]:
    """WHERE clauses: recognised orders inside ``span``."""
    return (Order.status.in_(statuses), Order.ordered_at >= span.start, Order.ordered_at < span.end)


async def distinct_customers(
    session: AsyncSession, span: Span, rules: ReportingRules, cover: DayCover | None = None
) -> int:
    """Customers with at least one recognised order in the span.

    With one status counting as revenue (the default), its whole local days come from
    ``rollup_customer_gaps`` (:func:`customers_on_days`). An edge that is most of its day
    (a comparison period starting at this hour yesterday, say) reads as the whole day less
    the customers whose only orders in the span's days lie in the rest of that day; a
    smaller edge adds its customers that have no such order in the days read. Either way
    the raw orders checked one by one are those of the smaller part. With several
    statuses, a count over the raw orders (index-only on PostgreSQL). ``cover``: the span's
    :func:`cover_quiet_days`, when already known.
    """
    if cover is None:
        cover = await cover_quiet_days(session, span, rules.tz)
    if cover.days is None or len(rules.statuses) != 1:
        query = select(func.count(func.distinct(Order.customer_id))).where(
            *in_span(span, rules.statuses)
        )
        return int((await session.execute(query)).scalar_one())
    (status,) = rules.statuses
    tz = rules.tz
    first, last = cover.days
    covered = days_span(first, last, tz)
    # The span as covered (a quiet tail widened): the same orders as ``span``.
    read = Span(
        min([covered.start, *(edge.start for edge in cover.edges)]),
        max([covered.end, *(edge.end for edge in cover.edges)]),
    )
    added: list[Span] = []
    rests: list[Span] = []
    for edge in cover.edges:
        day = local_day(edge.start, tz)
        whole = days_span(day, day, tz)
        if edge.duration * 2 > whole.duration:
            first, last = min(first, day), max(last, day)
            around = (Span(whole.start, edge.start), Span(edge.end, whole.end))
            rests.extend(part for part in around if part.duration)
        else:
            added.append(edge)
    customers = await customers_on_days(session, (first, last), status)
    if added:
        customers += await _customers_only_in(session, added, days_span(first, last, tz), status)
    if rests:
        customers -= await _customers_only_in(session, rests, read, status)
    return customers


async def _customers_only_in(
    session: AsyncSession, parts: Sequence[Span], elsewhere: Span, status: str
) -> int:
    """Customers with an order of ``status`` in ``parts`` and none in ``elsewhere``.

    When ``elsewhere`` is far longer than the parts, each of the parts' customers is looked
    up once in the ``(customer_id, ordered_at)`` index: the OFFSET keeps PostgreSQL from
    turning the NOT EXISTS into an anti-join that hashes every order of ``elsewhere`` (at
    L, 6 hours against the month after them: 84 ms hashed, 34 ms looked up; 6 + 6 hours
    around 2 days: 12 ms hashed, 28 ms looked up)."""
    lookups = elsewhere.duration > LOOKUPS_FROM * sum((part.duration for part in parts), ZERO)
    in_parts = placed_in(Order.ordered_at, parts)
    customers = (
        select(Order.customer_id).where(Order.status == status, in_parts).distinct().subquery()
    )
    other = aliased(Order)
    probe = select(other.customer_id).where(
        other.customer_id == customers.c.customer_id,
        other.status == status,
        other.ordered_at >= elsewhere.start,
        other.ordered_at < elsewhere.end,
    )
    in_elsewhere = (probe.offset(0) if lookups else probe).exists()
    query = select(func.count()).select_from(customers).where(~in_elsewhere)
    return int((await session.execute(query)).scalar_one())


async def sales_totals(session: AsyncSession, span: Span, rules: ReportingRules) -> SalesTotals:
    cover = await cover_quiet_days(session, span, rules.tz)
    totals = SalesTotals()
    if cover.days is not None:
        totals += fold(await session.execute(rollup_query(cover.days)), rules.statuses)
    for edge in cover.edges:
        totals += fold(await session.execute(edge_query(edge)), rules.statuses)
    totals.customers = await distinct_customers(session, span, rules, cover)
    return totals


async def last_order_at(session: AsyncSession) -> datetime | None:
    """The newest order's time, whatever its status."""
    return (await session.execute(select(func.max(Order.ordered_at)))).scalar_one()


async def orders_since(session: AsyncSession, moment: datetime, rules: ReportingRules) -> int:
    """Recognised orders placed at or after ``moment``."""
    query = select(func.count()).where(Order.status.in_(rules.statuses), Order.ordered_at >= moment)
    return int((await session.execute(query)).scalar_one())
