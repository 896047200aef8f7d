"""Item sales (:class:`~shopx.analytics.metrics.ItemTotals`) per product or category.

Products: whole local months from ``rollup_product_monthly``, the rest of the span from
raw items. Categories: whole local days from ``rollup_category_daily`` (both tree
levels), the edges from raw items. A quiet tail (no order past the span's end) is read
as a whole bucket (:func:`~shopx.analytics.spans.widen_quiet_tail`). Order counts add up
across parts because the parts cover disjoint times.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import ItemTotals
from shopx.analytics.periods import Span
from shopx.analytics.reporting import ReportingRules
from shopx.analytics.spans import Grain, cover_months, cover_quiet_days, widen_quiet_tail
from shopx.calendar import add_months, local_midnight
from shopx.db.dialect import integer_sum
from shopx.db.models import Order, placed_between
from shopx.rollups.measures import (
    CATEGORY,
    ITEM_MEASURES,
    PRODUCT,
    item_measures,
    item_sales,
)
from shopx.rollups.tables import CategoryDaily, ProductMonthly

COLUMNS = ("orders", "units", "item_sales", "cost")
"""The item measures as this module's queries name them, after ``key``."""


def _raw_items(span: Span, statuses: Sequence[str], by: Any, *where: Any) -> Select[Any]:
    """(key, orders, units, item_sales, cost) per ``by`` over the raw items of ``span``."""
    measures = [value.label(name) for name, value in zip(COLUMNS, item_measures(), strict=True)]
    return (
        item_sales([by.label("key"), *measures], by=by)
        .where(*placed_between(span.start, span.end), Order.status.in_(statuses), *where)
        .group_by(by)
    )


def _rollup_part(table: Any, key: Any, *where: Any) -> Select[Any]:
    """(key, orders, units, item_sales, cost) summed over the rollup rows ``where`` selects."""
    sums = [
        integer_sum(table.__table__.c[measure]).label(name)
        for name, measure in zip(COLUMNS, ITEM_MEASURES, strict=True)
    ]
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
    span = await widen_quiet_tail(session, span, rules.tz, Grain.MONTH)
    months = cover_months(span, rules.tz).months

    def only(column: Any) -> list[Any]:
        return [column.in_(product_ids)] if product_ids is not None else []

    parts: list[Select[Any]] = [
        _raw_items(part, rules.statuses, PRODUCT, *only(PRODUCT))
        for part in _raw_ranges(span, months, rules.tz)
    ]
    if months is not None:
        parts.append(
            _rollup_part(
                ProductMonthly,
                ProductMonthly.product_id,
                ProductMonthly.month.between(*months),
                ProductMonthly.status.in_(rules.statuses),
                *only(ProductMonthly.product_id),
            )
        )
    return per_key(parts)


def per_key(parts: list[Select[Any]]) -> Any:
    """(key, orders, units, item_sales, cost) parts, each one row per key, summed per key."""
    if len(parts) == 1:
        return parts[0].subquery("sums")
    union = union_all(*parts).subquery("parts")
    sums = [integer_sum(union.c[name]).label(name) for name in COLUMNS]
    return select(union.c.key, *sums).group_by(union.c.key).subquery("sums")


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
