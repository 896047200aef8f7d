"""Sales-rep performance: recognised sales per rep over a span, and one rep's series.

Whole local days come from ``rollup_rep_daily``, the partial days at the edges from raw
orders; distinct customers always from raw orders, counted from the index on
``(sales_rep_id, ordered_at, status, customer_id)`` alone.
Commission is defined by :attr:`RepPerformance.commission`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.buckets import Granularity, bucket_key, buckets
from shopx.analytics.metrics import SalesTotals
from shopx.analytics.periods import Span
from shopx.analytics.regions import UNKNOWN
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.sales import fold_by_key, in_span, merge_totals, raw_query, rollup_query
from shopx.analytics.spans import cover_quiet_days
from shopx.analytics.trends import BUCKET_SQL, ComparedPoint, Metric, Point, compared
from shopx.calendar import local_day
from shopx.db.models import Order, SalesRepresentative
from shopx.db.rows import get_row
from shopx.rollups.tables import RepDaily

BASIS_POINTS = 10_000


async def rep_totals(
    session: AsyncSession, span: Span, rules: ReportingRules, rep_id: int | None = None
) -> dict[int, SalesTotals]:
    """Sales per rep (orders without a rep left out); one rep's only when ``rep_id`` is set."""
    rollup_where = [] if rep_id is None else [RepDaily.sales_rep_id == rep_id]
    raw_where = [
        Order.sales_rep_id.is_not(None) if rep_id is None else Order.sales_rep_id == rep_id
    ]
    cover = await cover_quiet_days(session, span, rules.tz)
    result: dict[int, SalesTotals] = {}
    if cover.days is not None:
        query = rollup_query(cover.days, RepDaily.sales_rep_id, table=RepDaily).where(*rollup_where)
        merge_totals(result, fold_by_key(await session.execute(query), rules.statuses))
    for edge in cover.edges:
        query = raw_query(edge, Order.sales_rep_id).where(*raw_where)
        merge_totals(result, fold_by_key(await session.execute(query), rules.statuses))
    return {int(key): totals for key, totals in result.items() if totals.orders}


async def rep_customers(
    session: AsyncSession, span: Span, rules: ReportingRules, rep_ids: list[int]
) -> dict[int, int]:
    rows = await session.execute(
        select(Order.sales_rep_id, func.count(func.distinct(Order.customer_id)))
        .where(Order.sales_rep_id.in_(rep_ids), *in_span(span, rules.statuses))
        .group_by(Order.sales_rep_id)
    )
    return {int(rep_id): int(count) for rep_id, count in rows}


@dataclass(slots=True)
class RepPerformance:
    """A sales rep's orders in a period."""

    rep: SalesRepresentative
    totals: SalesTotals
    rank: int | None
    """Position among the reps with sales in the period (by total sales, ties by id); null
    when the rep sold nothing."""

    @property
    def commission(self) -> Fraction:
        """Total sales x the rep's commission rate, rounded to the cent once."""
        return Fraction(self.totals.revenue_cents * self.rep.commission_rate_bp, BASIS_POINTS)


def _ranked(totals: dict[int, SalesTotals]) -> list[int]:
    return sorted(totals, key=lambda rep_id: (-totals[rep_id].revenue_cents, rep_id))


async def reps_by_id(session: AsyncSession, ids: list[int]) -> dict[int, SalesRepresentative]:
    found = await session.execute(
        select(SalesRepresentative).where(SalesRepresentative.id.in_(ids))
    )
    return {rep.id: rep for rep in found.scalars()}


async def top_reps(
    session: AsyncSession,
    span: Span,
    rules: ReportingRules,
    *,
    limit: int,
    region: str | None = None,
) -> list[RepPerformance]:
    """Reps with recognised sales in the span, best first; ``region`` matches the rep's."""
    totals = await rep_totals(session, span, rules)
    reps = await reps_by_id(session, list(totals))
    ids = [i for i in _ranked(totals) if region is None or (reps[i].region or UNKNOWN) == region]
    chosen = ids[:limit]
    customers = await rep_customers(session, span, rules, chosen)
    result = []
    for position, rep_id in enumerate(chosen, start=1):
        totals[rep_id].customers = customers.get(rep_id, 0)
        result.append(RepPerformance(reps[rep_id], totals[rep_id], position))
    return result


async def rep_performance(
    session: AsyncSession, rep: SalesRepresentative, span: Span, rules: ReportingRules
) -> RepPerformance:
    """One rep's sales; ``rank`` among all reps with sales, none when the rep sold nothing."""
    totals = await rep_totals(session, span, rules)
    mine = totals.get(rep.id, SalesTotals())
    mine.customers = (await rep_customers(session, span, rules, [rep.id])).get(rep.id, 0)
    ranked = _ranked(totals)
    return RepPerformance(rep, mine, ranked.index(rep.id) + 1 if rep.id in totals else None)


@dataclass(slots=True)
class RepDetail:
    """One rep's performance in a period, with its revenue per bucket."""

    performance: RepPerformance
    series: list[ComparedPoint]


async def rep_detail(
    session: AsyncSession, rep_id: int, span: Span, granularity: Granularity, rules: ReportingRules
) -> RepDetail:
    """The rep's sales, rank and commission over ``span``, and its series by ``granularity``."""
    rep = await get_row(session, SalesRepresentative, rep_id)
    performance = await rep_performance(session, rep, span, rules)
    points = await rep_series(session, rep_id, span, granularity, rules)
    return RepDetail(performance, compared(points, [], Metric.REVENUE))


async def rep_series(
    session: AsyncSession, rep_id: int, span: Span, granularity: Granularity, rules: ReportingRules
) -> list[Point]:
    """One rep's sales and distinct customers per bucket of the span."""
    points = [Point(bucket) for bucket in buckets(span, granularity, rules.tz)]
    if not points:
        return points
    mine = Order.sales_rep_id == rep_id
    if granularity is Granularity.HOUR:
        await _fill_hours(session, rep_id, span, points, rules)
        return points
    by_key = {point.bucket.key: point for point in points}
    for day, totals in (await _daily(session, rep_id, span, rules)).items():
        by_key[bucket_key(day, granularity)].totals += totals
    bucket = BUCKET_SQL[granularity](
        Order.ordered_at, rules.tz, session.bind.dialect, span=(span.start, span.end)
    )
    rows = await session.execute(
        select(bucket, func.count(func.distinct(Order.customer_id)))
        .where(mine, *in_span(span, rules.statuses))
        .group_by(bucket)
    )
    for key, customers in rows:
        by_key[key].totals.customers = int(customers)
    return points


async def _daily(
    session: AsyncSession, rep_id: int, span: Span, rules: ReportingRules
) -> dict[date, SalesTotals]:
    cover = await cover_quiet_days(session, span, rules.tz)
    per_day: dict[date, SalesTotals] = {}
    if cover.days is not None:
        query = rollup_query(cover.days, RepDaily.day, table=RepDaily).where(
            RepDaily.sales_rep_id == rep_id
        )
        merge_totals(per_day, fold_by_key(await session.execute(query), rules.statuses))
    for edge in cover.edges:
        query = raw_query(edge, Order.sales_rep_id).where(Order.sales_rep_id == rep_id)
        edge_totals = fold_by_key(await session.execute(query), rules.statuses)
        merge_totals(per_day, {local_day(edge.start, rules.tz): t for t in edge_totals.values()})
    return per_day


async def _fill_hours(
    session: AsyncSession, rep_id: int, span: Span, points: list[Point], rules: ReportingRules
) -> None:
    starts = [point.bucket.span.start for point in points]
    mine = Order.sales_rep_id == rep_id
    rows = await session.execute(raw_query(span, Order.ordered_at).where(mine))
    for moment, totals in fold_by_key(rows, rules.statuses).items():
        points[bisect_right(starts, moment) - 1].totals += totals
    seen: list[set[int]] = [set() for _ in points]
    buyers = select(Order.ordered_at, Order.customer_id).where(mine, *in_span(span, rules.statuses))
    for moment, customer_id in await session.execute(buyers):
        seen[bisect_right(starts, moment) - 1].add(customer_id)
    for point, customers in zip(points, seen, strict=True):
        point.totals.customers = len(customers)
