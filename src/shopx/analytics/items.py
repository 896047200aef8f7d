"""Item sales (:class:`~shopx.analytics.metrics.ItemTotals`) per product or category.

Products: whole local years from ``rollup_product_yearly``, whole local months from
``rollup_product_monthly``, the rest of the span from raw items; where the rest holds most
of a month (a 30-day comparison period ending on the 1st, say), from that month's rollup
minus the raw items of the month outside the span, the smaller part, unless the month
starts before the oldest raw order (retention may have archived its first hours, which
its rollup still counts). Categories: whole local days from ``rollup_category_daily``
(both tree levels), the edges from raw items. A quiet tail (no order past the span's end)
is read as a whole bucket, a year if it can be
(:func:`~shopx.analytics.spans.widen_quiet_tail`). Order counts add up (and subtract)
across parts because the parts cover disjoint times and an order has one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import ItemTotals
from shopx.analytics.periods import Span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.spans import Grain, cover_months, cover_quiet_days, widen_quiet_tail
from shopx.calendar import add_months, local_day, local_midnight, month_start
from shopx.db.dialect import integer_sum
from shopx.db.models import Order
from shopx.rollups.measures import (
    CATEGORY,
    ITEM_MEASURES,
    PRODUCT,
    item_measures,
    item_sales,
)
from shopx.rollups.tables import CategoryDaily, ProductMonthly, ProductYearly

LAST_INSTANT = timedelta(microseconds=1)
"""A span's end is open: its last instant is this much before."""

COLUMNS = ("orders", "units", "item_sales", "cost")
"""The item measures as this module's queries name them, after ``key``."""


def _raw_items(
    span: Span, statuses: Sequence[str], by: Any, *where: Any, sign: int = 1
) -> Select[Any]:
    """(key, orders, units, item_sales, cost) per ``by`` over the raw items of ``span``;
    with ``sign`` -1, each measure negated (a part to take away)."""
    measures = [
        (value if sign == 1 else -value).label(name)
        for name, value in zip(COLUMNS, item_measures(), strict=True)
    ]
    return (
        item_sales([by.label("key"), *measures], by=by, placed=(span.start, span.end))
        .where(Order.status.in_(statuses), *where)
        .group_by(by)
    )


def _rollup_part(table: Any, key: Any, *where: Any, one_row_each: bool = False) -> Select[Any]:
    """(key, orders, units, item_sales, cost) summed over the rollup rows ``where`` selects;
    ``one_row_each``: they hold one row per key already, read as they are (no grouping,
    so a ranking over them is a top-N sort of the rows)."""
    columns = [table.__table__.c[measure] for measure in ITEM_MEASURES]
    if one_row_each:
        measures = [column.label(name) for name, column in zip(COLUMNS, columns, strict=True)]
        return select(key.label("key"), *measures).where(*where)
    sums = [integer_sum(column).label(name) for name, column in zip(COLUMNS, columns, strict=True)]
    return select(key.label("key"), *sums).where(*where).group_by(key)


def _raw_ranges(span: Span, months: tuple[date, date] | None, tz: ZoneInfo) -> list[Span]:
    """The parts of ``span`` outside its whole ``months``."""
    if months is None:
        return [span]
    first = local_midnight(months[0], tz)
    stop = local_midnight(add_months(months[1], 1), tz)
    return [part for part in (Span(span.start, first), Span(stop, span.end)) if part.duration]


async def product_sales(
    session: AsyncSession,
    span: Span,
    rules: ReportingRules,
    product_ids: Sequence[int] | None = None,
) -> Any:
    """A subquery of (key=product_id, orders, units, item_sales, cost), one row per product.

    ``product_ids`` narrows every part (so the indexes on product id are used).
    """
    own_last_month = month_start(local_day(span.end - LAST_INSTANT, rules.tz))
    span = await widen_quiet_tail(session, span, rules.tz, Grain.YEAR, Grain.MONTH)
    months = cover_months(span, rules.tz).months
    statuses = rules.statuses

    def only(column: Any) -> list[Any]:
        return [column.in_(product_ids)] if product_ids is not None else []

    def rollup(model: Any, *when: Any, one_bucket: bool = False) -> Select[Any]:
        # The rows of one bucket (a month, a year) of one status are one per product already:
        # read as they are, the grouping of every part together is the only one.
        return _rollup_part(
            model,
            model.product_id,
            *when,
            model.status.in_(statuses),
            *only(model.product_id),
            one_row_each=one_bucket and len(statuses) == 1,
        )

    pieces = [
        piece
        for part in _raw_ranges(span, months, rules.tz)
        for piece in _month_pieces(part, rules.tz)
    ]
    apart = [piece for piece in pieces if piece.most_of_month]
    if apart:
        live_from = await session.scalar(select(func.min(Order.ordered_at)))
        apart = [piece for piece in apart if live_from is None or piece.whole.start >= live_from]
    parts: list[Select[Any]] = []
    taken_away = False
    for piece in pieces:
        if piece in apart:
            parts.append(
                rollup(ProductMonthly, ProductMonthly.month == piece.month, one_bucket=True)
            )
            parts.extend(
                _raw_items(rest, statuses, PRODUCT, *only(PRODUCT), sign=-1) for rest in piece.rest
            )
            taken_away = taken_away or bool(piece.rest)
        else:
            parts.append(_raw_items(piece.span, statuses, PRODUCT, *only(PRODUCT)))
    if months is not None:
        years, loose = _whole_years(months)
        # Months past the span's own are quiet (no order): read only inside a whole year.
        loose = [(first, min(last, own_last_month)) for first, last in loose]
        loose = [(first, last) for first, last in loose if first <= last]
        if years is not None:
            parts.append(_buckets(rollup, ProductYearly.year, *years))
        for first, last in loose:
            parts.append(_buckets(rollup, ProductMonthly.month, first, last))
    return per_key(parts, sold_only=taken_away)


def _buckets(rollup: Callable[..., Select[Any]], bucket: Any, first: date, last: date) -> Any:
    """The rollup rows of the buckets ``first..last``; one bucket by equality, so that its
    rows come in the order of the ranking index (:mod:`shopx.rollups.tables`)."""
    if first == last:
        return rollup(bucket.class_, bucket == first, one_bucket=True)
    return rollup(bucket.class_, bucket.between(first, last))


def _whole_years(
    months: tuple[date, date],
) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """Whole local years ``(first, last)`` (their first days) among ``months`` (first days,
    both included), and the ranges of months outside them."""
    first, last = months
    start = first if first.month == 1 else date(first.year + 1, 1, 1)
    end = last.replace(month=1) if last.month == 12 else date(last.year - 1, 1, 1)
    if start > end:
        return None, [months]
    loose = []
    if first < start:
        loose.append((first, add_months(start, -1)))
    if add_months(end, 12) <= last:
        loose.append((add_months(end, 12), last))
    return (start, end), loose


@dataclass(frozen=True, slots=True)
class MonthPiece:
    """The part of a span that lies in one local month."""

    span: Span
    month: date
    """The month's first day."""
    whole: Span

    @property
    def most_of_month(self) -> bool:
        """More than half the month: its rollup minus the rest reads fewer raw items."""
        return self.span.duration * 2 > self.whole.duration

    @property
    def rest(self) -> list[Span]:
        """The month outside the piece (before it, after it)."""
        around = (Span(self.whole.start, self.span.start), Span(self.span.end, self.whole.end))
        return [part for part in around if part.duration]


def _month_pieces(span: Span, tz: ZoneInfo) -> list[MonthPiece]:
    """``span`` cut at local month boundaries."""
    pieces = []
    start = span.start
    while start < span.end:
        month = month_start(local_day(start, tz))
        whole = Span(local_midnight(month, tz), local_midnight(add_months(month, 1), tz))
        piece = Span(start, min(span.end, whole.end))
        pieces.append(MonthPiece(piece, month, whole))
        start = piece.end
    return pieces


def per_key(parts: list[Select[Any]], *, sold_only: bool = False) -> Any:
    """(key, orders, units, item_sales, cost) parts, each one row per key, summed per key;
    ``sold_only`` (some parts are taken away): keys left with no order are dropped."""
    if len(parts) == 1:
        return parts[0].subquery("sums")
    union = union_all(*parts).subquery("parts")
    sums = [integer_sum(union.c[name]).label(name) for name in COLUMNS]
    query = select(union.c.key, *sums).group_by(union.c.key)
    if sold_only:
        query = query.having(integer_sum(union.c.orders) != 0)
    return query.subquery("sums")


def to_totals(rows: Any) -> dict[int, ItemTotals]:
    result: dict[int, ItemTotals] = {}
    for key, orders, units, sales, cost in rows:
        result.setdefault(int(key), ItemTotals()).add(
            int(sales), int(cost), int(units), int(orders)
        )
    return result


async def category_sales(
    session: AsyncSession, span: Span, rules: ReportingRules
) -> dict[int, ItemTotals]:
    """Item sales per category id, for leaf and top-level categories alike."""
    cover = await cover_quiet_days(session, span, rules.tz)
    parts: list[Select[Any]] = []
    for edge in cover.edges:
        parts.append(_raw_items(edge, rules.statuses, CATEGORY))
    if cover.days is not None:
        parts.append(
            _rollup_part(
                CategoryDaily,
                CategoryDaily.category_id,
                CategoryDaily.day.between(*cover.days),
                CategoryDaily.status.in_(rules.statuses),
            )
        )
    if not parts:
        return {}
    return to_totals(await session.execute(select(per_key(parts))))
