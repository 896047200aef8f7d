"""Moving history between rollup keys when a product's category or a customer's region changes.

An order's category is its product's current category and its region is its customer's
current region, so such an edit moves that history from the old key to the new one: the
product's (or customer's) raw rows, grouped by rollup key, are subtracted from the old
rows and added to the new ones, in the writer's transaction. Days are cut and measures
summed with the same SQL helpers :func:`shopx.rollups.rebuild.rebuild` uses, so both
paths agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, case, delete, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shopx.calendar import local_day
from shopx.db.dialect import local_date
from shopx.db.models import Category, Order, OrderItem, Product
from shopx.rollups.deltas import add_to_stored_rows
from shopx.rollups.measures import item_measures, item_sales, order_measures, per_order_lines
from shopx.rollups.tables import CategoryDaily, SalesDaily


async def move_product_category(
    session: AsyncSession, product_id: int, old: int, new: int, tz: ZoneInfo
) -> None:
    """Move a product's item sales from category ``old`` to ``new`` (and between parents)."""
    if old == new:
        return
    before, after = await _keys(session, old), await _keys(session, new)
    await move_item_sales(
        session, lambda item: item.product_id == product_id, before - after, after - before, tz
    )


async def move_category_parent(
    session: AsyncSession, category_id: int, old: int | None, new: int | None, tz: ZoneInfo
) -> None:
    """Move a category's item sales from parent ``old`` to parent ``new``."""
    if old == new:
        return
    products = select(Product.id).where(Product.category_id == category_id)
    await move_item_sales(
        session, lambda item: item.product_id.in_(products), {old} - {None}, {new} - {None}, tz
    )


async def _keys(session: AsyncSession, category_id: int) -> set[int]:
    """The category rows a line of this category counts in: its own and its parent's."""
    parent = await session.scalar(select(Category.parent_id).where(Category.id == category_id))
    return {category_id} | ({parent} if parent is not None else set())


Lines = Callable[[Any], Any]
"""A condition on an order item (``OrderItem`` or an alias of it): the lines that move."""


async def move_item_sales(
    session: AsyncSession, moving: Lines, leaving: set[int], arriving: set[int], tz: ZoneInfo
) -> None:
    """Take the ``moving`` lines out of the ``leaving`` category rows and into ``arriving``.

    Each category row counts an order once, so a key loses (or gains) an order only where no
    line outside ``moving`` keeps that order counted under it.
    """
    span = await _span(session, OrderItem.ordered_at, moving(OrderItem))
    if span is None or not (leaving or arriving):
        return
    day = _day(session, OrderItem.ordered_at, tz, span)
    rows = []
    for key, sign in [(k, -1) for k in sorted(leaving)] + [(k, 1) for k in sorted(arriving)]:
        measures = item_measures(orders=_orders_not_kept_by_others(key, moving))
        query = (
            item_sales([day, Order.status, *measures])
            .where(moving(OrderItem))
            .group_by(day, Order.status)
        )
        for bucket, status, *values in await session.execute(query):
            rows.append([bucket, status, key, *(sign * value for value in values)])
    table = CategoryDaily.__table__
    await add_to_stored_rows(session, table, rows)
    await _drop_empty(session, table, table.c.category_id.in_(leaving | arriving), span, tz)


def _orders_not_kept_by_others(category_id: int, moving: Lines) -> Any:
    """Distinct orders of the moving lines with no other line counted under ``category_id``."""
    other, other_product, other_category = aliased(OrderItem), aliased(Product), aliased(Category)
    kept = (
        select(literal(1))
        .select_from(other)
        .join(other_product, other_product.id == other.product_id)
        .join(other_category, other_category.id == other_product.category_id)
        .where(
            other.order_id == OrderItem.order_id,
            other.ordered_at == OrderItem.ordered_at,
            other.id != OrderItem.id,
            ~moving(other),
            (other_category.id == category_id) | (other_category.parent_id == category_id),
        )
        .exists()
    )
    return func.count(func.distinct(case((~kept, OrderItem.order_id))))


async def move_customer_region(
    session: AsyncSession, customer_id: int, old: str | None, new: str | None, tz: ZoneInfo
) -> None:
    """Move a customer's orders from region ``old`` to ``new`` in the daily sales rollup."""
    old, new = old or "", new or ""
    span = await _span(session, Order.ordered_at, Order.customer_id == customer_id)
    if span is None or old == new:
        return
    customer_orders = select(Order.id).where(Order.customer_id == customer_id)
    lines = per_order_lines().where(OrderItem.order_id.in_(customer_orders)).subquery("lines")
    day = _day(session, Order.ordered_at, tz, span)
    payment_mode = func.coalesce(Order.payment_mode, literal(""))
    query = (
        select(day, Order.status, payment_mode, *order_measures(lines))
        .select_from(Order)
        .outerjoin(lines, lines.c.order_id == Order.id)
        .where(Order.customer_id == customer_id)
        .group_by(day, Order.status, payment_mode)
    )
    rows = []
    for bucket, status, mode, *measures in await session.execute(query):
        rows.append([bucket, status, old, mode, *(-value for value in measures)])
        rows.append([bucket, status, new, mode, *measures])
    table = SalesDaily.__table__
    await add_to_stored_rows(session, table, rows)
    await _drop_empty(session, table, table.c.region.in_([old, new]), span, tz)


async def _span(session: AsyncSession, column: Any, where: Any) -> tuple[datetime, datetime] | None:
    oldest, newest = (
        await session.execute(select(func.min(column), func.max(column)).where(where))
    ).one()
    if oldest is None:
        return None
    return oldest, newest + timedelta(seconds=1)


def _day(session: AsyncSession, column: Any, tz: ZoneInfo, span: tuple[datetime, datetime]) -> Any:
    return local_date(column, tz, session.bind.dialect, span=span)


async def _drop_empty(
    session: AsyncSession, table: Table, keys: Any, span: tuple[datetime, datetime], tz: ZoneInfo
) -> None:
    """Delete rows left with no orders, as a rebuild would never have written them."""
    first, last = (local_day(moment, tz) for moment in span)
    await session.execute(
        delete(table).where(keys, table.c.day.between(first, last), table.c.orders == 0)
    )
