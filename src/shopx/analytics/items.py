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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import ItemTotals
from shopx.analytics.periods import Span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.spans import (
    Grain,
    cover_months,
    cover_quiet_days,
    placed_in,
    widen_quiet_tail,
)
from shopx.calendar import add_months, local_day, local_midnight, month_start
from shopx.db.dialect import integer_sum
from shopx.db.models import Order, OrderItem, OrderStatus
from shopx.rollups.measures import (
    CATEGORY,
    ITEM_MEASURES,
    LINE_MEASURES,
    PRODUCT,
    item_measures,
    item_sales,
)
from shopx.rollups.tables import CategoryDaily, ProductMonthly, ProductYearly

LAST_INSTANT = timedelta(microseconds=1)
"""A span's end is open: its last instant is this much before."""

COLUMNS = ("orders", "units", "item_sales", "cost")
"""The item measures as this module's queries name them, after ``key``."""
SALES_ONLY = ("item_sales",)
"""Of :data:`COLUMNS`, item sales alone: without the distinct order count, raw items need
no sort by order (a third of a top product's comparison period at scale L)."""
ITEM_SALES = next(measure for measure in LINE_MEASURES if measure.name == "item_sales_cents")
"""What one item adds to item sales (:data:`shopx.rollups.measures.LINE_MEASURES`)."""


def _raw_items(
    span: Span,
    statuses: Sequence[str],
    by: Any,
    *where: Any,
    sign: int = 1,
    columns: Sequence[str] = COLUMNS,
) -> Select[Any]:
    """(key, *columns) per ``by`` over the raw items of ``span``; with ``sign`` -1, each
    measure negated (a part to take away)."""
    measures = [
        (value if sign == 1 else -value).label(name)
        for name, value in zip(COLUMNS, item_measures(), strict=True)
        if name in columns
    ]
    return (
        item_sales([by.label("key"), *measures], by=by, placed=(span.start, span.end))
        .where(Order.status.in_(statuses), *where)
        .group_by(by)
    )


def _rollup_part(
    table: Any,
    key: Any,
    *where: Any,
    one_row_each: bool = False,
    columns: Sequence[str] = COLUMNS,
) -> Select[Any]:
    """(key, *columns) summed over the rollup rows ``where`` selects; ``one_row_each``:
    they hold one row per key already, read as they are (no grouping, so a ranking over
    them is a top-N sort of the rows)."""
    stored = [
        (name, table.__table__.c[measure])
        for name, measure in zip(COLUMNS, ITEM_MEASURES, strict=True)
        if name in columns
    ]
    if one_row_each:
        return select(key.label("key"), *(column.label(name) for name, column in stored)).where(
            *where
        )
    sums = [integer_sum(column).label(name) for name, column in stored]
    return select(key.label("key"), *sums).where(*where).group_by(key)


def _raw_ranges(span: Span, months: tuple[date, date] | None, tz: ZoneInfo) -> list[Span]:
    """The parts of ``span`` outside its whole ``months``."""
    if months is None:
        return [span]
    first = local_midnight(months[0], tz)
    stop = local_midnight(add_months(months[1], 1), tz)
    return [part for part in (Span(span.start, first), Span(stop, span.end)) if part.duration]


@dataclass(frozen=True, slots=True)
class ProductParts:
    """Where a span's item sales per product come from."""

    buckets: list[tuple[Any, date, date]]
    """Rollup rows: a bucket column (``ProductMonthly.month``, ``ProductYearly.year``) and
    the first and last buckets read."""
    raw: list[tuple[Span, int]]
    """Raw items: each span with its sign (-1: taken away from a month's rollup row)."""

    @property
    def taken_away(self) -> bool:
        return any(sign < 0 for _, sign in self.raw)


async def product_parts(session: AsyncSession, span: Span, rules: ReportingRules) -> ProductParts:
    """The rollup buckets and raw items that make ``span``'s item sales per product."""
    own_last_month = month_start(local_day(span.end - LAST_INSTANT, rules.tz))
    span = await widen_quiet_tail(session, span, rules.tz, Grain.YEAR, Grain.MONTH)
    months = cover_months(span, rules.tz).months
    pieces = [
        piece
        for part in _raw_ranges(span, months, rules.tz)
        for piece in _month_pieces(part, rules.tz)
    ]
    apart = [piece for piece in pieces if piece.most_of_month]
    if apart:
        live_from = await session.scalar(select(func.min(Order.ordered_at)))
        apart = [piece for piece in apart if live_from is None or piece.whole.start >= live_from]
    parts = ProductParts([], [])
    for piece in pieces:
        if piece in apart:
            parts.buckets.append((ProductMonthly.month, piece.month, piece.month))
            parts.raw.extend((rest, -1) for rest in piece.rest)
        else:
            parts.raw.append((piece.span, 1))
    if months is not None:
        years, loose = _whole_years(months)
        # Months past the span's own are quiet (no order): read only inside a whole year.
        loose = [(first, min(last, own_last_month)) for first, last in loose]
        loose = [(first, last) for first, last in loose if first <= last]
        if years is not None:
            parts.buckets.append((ProductYearly.year, *years))
        parts.buckets.extend((ProductMonthly.month, first, last) for first, last in loose)
    return parts


async def product_sales(
    session: AsyncSession,
    span: Span,
    rules: ReportingRules,
    product_ids: Sequence[int] | None = None,
    columns: Sequence[str] = COLUMNS,
) -> Any:
    """A subquery of (key=product_id, *columns), one row per product (``columns`` of
    :data:`COLUMNS`).

    ``product_ids`` narrows every part (so the indexes on product id are used).
    """
    parts = await product_parts(session, span, rules)
    return parts_sales(parts, rules.statuses, product_ids, columns)


def parts_sales(
    parts: ProductParts,
    statuses: tuple[str, ...],
    product_ids: Sequence[int] | None = None,
    columns: Sequence[str] = COLUMNS,
) -> Any:
    """:func:`product_sales` of the parts :func:`product_parts` found."""

    def only(column: Any) -> list[Any]:
        return [column.in_(product_ids)] if product_ids is not None else []

    selects = [
        _raw_items(raw, statuses, PRODUCT, *only(PRODUCT), sign=sign, columns=columns)
        for raw, sign in parts.raw
    ]
    for bucket, first, last in parts.buckets:
        model = bucket.class_
        # One bucket (a month, a year) by equality, so that its rows come in the order of the
        # ranking index; of one status they are one per product already: read as they are,
        # the grouping of every part together is the only one.
        selects.append(
            _rollup_part(
                model,
                model.product_id,
                bucket == first if first == last else bucket.between(first, last),
                model.status.in_(statuses),
                *only(model.product_id),
                one_row_each=first == last and len(statuses) == 1,
                columns=columns,
            )
        )
    return per_key(selects, sold_only=parts.taken_away, columns=columns)


MAX_CANDIDATES = 1_000
"""Past this many products that could rank, the ranking sums every product's parts."""


async def ranking_candidates(
    session: AsyncSession, parts: ProductParts, rules: ReportingRules, limit: int
) -> list[int] | None:
    """The products that can be among the ``limit`` best by item sales over a span of
    ``parts`` (:func:`product_parts`), when they are one bucket of rollup rows (a month, a
    year; one status counting as revenue) and raw items (30 days across a month's start,
    say): a few rows of the ranking index instead of every product's sums. None when that
    does not apply (rank every product).

    A product's item sales are its rollup row plus what the raw items add (or take away);
    the raw items add no product more than ``most`` (:func:`most_sold`: at least the most
    any product sold in them in orders of any status). The ``limit`` best rollup rows make
    at least ``floor`` each with their raw items, so a product whose row is under
    ``floor - most`` (or that has none) stays under all of them: the candidates are the
    rows from the top down to there.
    """
    if len(rules.statuses) != 1 or len(parts.buckets) != 1 or not parts.raw:
        return None
    bucket, first, last = parts.buckets[0]
    if first != last:
        return None
    model = bucket.class_
    ranked = (
        select(model.product_id, model.item_sales_cents)
        .where(bucket == first, model.status == rules.statuses[0])
        .order_by(model.item_sales_cents.desc(), model.product_id)
    )
    head = (await session.execute(ranked.limit(limit))).all()
    if len(head) < limit:
        return None
    if parts.taken_away:
        ids = [product_id for product_id, _ in head]
        exact = await _item_sales(session, parts_sales(parts, rules.statuses, ids, SALES_ONLY))
        floor = min(exact.get(product_id, 0) for product_id in ids)
    else:
        floor = min(int(sales) for _, sales in head)
    added = [raw for raw, sign in parts.raw if sign > 0]
    most = await most_sold(session, added, rules.tz) if added else 0
    if floor - most <= 0:
        return None
    within = ranked.with_only_columns(model.product_id).where(
        model.item_sales_cents >= floor - most
    )
    candidates = list(await session.scalars(within.limit(MAX_CANDIDATES + 1)))
    return candidates if len(candidates) <= MAX_CANDIDATES else None


BOUND_ROWS = 50
"""Per status, the best rows of a month's product rollup whose products :func:`most_sold`
sums exactly."""


async def most_sold(session: AsyncSession, spans: Sequence[Span], tz: ZoneInfo) -> int:
    """At least the item sales of any one product over the raw items of ``spans`` (local
    days, each inside one local month), in orders of any status; in practice the most.

    Summing every product's raw items of two days took 47-80 ms at scale L (120k items,
    38k products). Instead, by month: a product sells in the month's raw days no more than
    its rollup rows of the month hold, over every status (prices are never negative; the
    rollup also counts orders retention archived). So a product outside the
    :data:`BOUND_ROWS` best rows of each status sells no more than those statuses' last
    best rows together; the products among the best rows (a few hundred at most) are summed
    exactly, from the items' product index. Months add up.
    """
    months: dict[date, list[Span]] = {}
    for span in spans:
        month = month_start(local_day(span.start, tz))
        if month_start(local_day(span.end - LAST_INSTANT, tz)) != month:
            return await _most_sold_exactly(session, spans)
        months.setdefault(month, []).append(span)
    return sum([await _month_most_sold(session, month, parts) for month, parts in months.items()])


async def _month_most_sold(session: AsyncSession, month: date, spans: list[Span]) -> int:
    best = [
        select(ProductMonthly.status, ProductMonthly.product_id, ProductMonthly.item_sales_cents)
        .where(ProductMonthly.month == month, ProductMonthly.status == status.value)
        .order_by(ProductMonthly.item_sales_cents.desc(), ProductMonthly.product_id)
        .limit(BOUND_ROWS)
        .subquery()
        for status in OrderStatus
    ]
    rows = (await session.execute(union_all(*(select(rows) for rows in best)))).all()
    best_sales: dict[str, list[int]] = {}  # the union's rows come in no promised order
    for status, _, sales in rows:
        best_sales.setdefault(status, []).append(int(sales))
    # A status with fewer rows than asked has all its products among them: the others
    # sold nothing in it.
    rest = sum(min(sold) for sold in best_sales.values() if len(sold) == BOUND_ROWS)
    among = sorted({product_id for _, product_id, _ in rows})
    exact = await _most_sold_exactly(session, spans, among) if among else 0
    return max(exact, rest)


async def _most_sold_exactly(
    session: AsyncSession, spans: Sequence[Span], products: Sequence[int] | None = None
) -> int:
    """The most item sales of any one product (of ``products``; default every one) over
    the raw items of ``spans``, in orders of any status (no join to the orders)."""
    sold = integer_sum(ITEM_SALES.value(OrderItem)).label("sold")
    where = [placed_in(OrderItem.ordered_at, spans)]
    if products is not None:
        where.append(OrderItem.product_id.in_(products))
    per_product = select(sold).where(*where).group_by(OrderItem.product_id).subquery()
    return int(await session.scalar(select(func.max(per_product.c.sold))) or 0)


async def item_sales_by_product(
    session: AsyncSession, span: Span, rules: ReportingRules, product_ids: list[int] | None
) -> dict[int, int]:
    """Item sales cents per product id over ``span`` (all products when ``product_ids`` is
    none); products without item sales are left out."""
    sums = await product_sales(session, span, rules, product_ids, SALES_ONLY)
    return await _item_sales(session, sums)


async def _item_sales(session: AsyncSession, sums: Any) -> dict[int, int]:
    """Item sales cents per product id of a :func:`product_sales` subquery, those without
    any left out."""
    query = select(sums.c.key, sums.c.item_sales)
    rows = await session.execute(query)
    return {int(key): int(item_sales) for key, item_sales in rows if item_sales}


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


def per_key(
    parts: list[Select[Any]], *, sold_only: bool = False, columns: Sequence[str] = COLUMNS
) -> Any:
    """(key, *columns) parts, each one row per key, summed per key; ``sold_only`` (some
    parts are taken away): keys left with no order are dropped (without an order count
    among ``columns``, the caller leaves out what sums to nothing)."""
    if len(parts) == 1:
        return parts[0].subquery("sums")
    union = union_all(*parts).subquery("parts")
    sums = [integer_sum(union.c[name]).label(name) for name in columns]
    query = select(union.c.key, *sums).group_by(union.c.key)
    if sold_only and "orders" in columns:
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
