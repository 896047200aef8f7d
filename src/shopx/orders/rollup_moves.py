"""Moving history between rollup keys when a product's category or a customer's region changes.

An order's category is its product's current category and its region is its customer's
current region, so such an edit moves that history from the old key to the new one: the
product's (or customer's) raw rows, grouped by rollup key, are subtracted from the old
rows and added to the new ones, in the writer's transaction. Days are cut with the same
SQL helpers :func:`shopx.db.rollups.rebuild` uses, so both paths agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Table, case, delete, func, literal, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shopx.db.dialect import add_on_conflict, local_date
from shopx.db.models import Order, OrderItem, Product
from shopx.db.rollup_tables import CategoryDaily, SalesDaily
from shopx.db.rollups import ITEM_MEASURES, ORDER_MEASURES, per_order_lines


async def move_product_category(
    session: AsyncSession, product_id: int, old: int, new: int, tz: ZoneInfo
) -> None:
    """Move a product's item sales from category ``old`` to ``new`` in the daily rollup."""
    span = await _span(session, OrderItem.ordered_at, OrderItem.product_id == product_id)
    if span is None or old == new:
        return
    day = _day(session, OrderItem.ordered_at, tz, span)
    query = (
        select(
            day,
            Order.status,
            _orders_without_others_in(old, product_id),
            _orders_without_others_in(new, product_id),
            func.sum(OrderItem.quantity),
            func.sum(OrderItem.quantity * OrderItem.unit_price_cents),
            func.sum(OrderItem.quantity * OrderItem.unit_cost_cents),
        )
        .select_from(OrderItem)
        .join(Order, (Order.id == OrderItem.order_id) & (Order.ordered_at == OrderItem.ordered_at))
        .where(OrderItem.product_id == product_id)
        .group_by(day, Order.status)
    )
    rows = []
    for bucket, status, leaving, arriving, *measures in await session.execute(query):
        rows.append([bucket, status, old, -leaving, *(-value for value in measures)])
        rows.append([bucket, status, new, arriving, *measures])
    table = CategoryDaily.__table__
    await _add(session, table, ITEM_MEASURES, rows)
    await _drop_empty(session, table, table.c.category_id.in_([old, new]), span, tz)


def _orders_without_others_in(category_id: int, product_id: int) -> Any:
    """Orders of the product with no other line in ``category_id``.

    A category counts an order once however many of its lines fall in it, so the product
    takes an order with it (or brings one) only where no other line keeps it counted.
    """
    other, other_product = aliased(OrderItem), aliased(Product)
    kept = (
        select(literal(1))
        .select_from(other)
        .join(other_product, other_product.id == other.product_id)
        .where(
            other.order_id == OrderItem.order_id,
            other.ordered_at == OrderItem.ordered_at,
            other.product_id != product_id,
            other_product.category_id == category_id,
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
        select(
            day,
            Order.status,
            payment_mode,
            func.count(),
            func.coalesce(func.sum(lines.c.units), 0),
            func.coalesce(func.sum(lines.c.item_revenue), 0),
            func.coalesce(func.sum(lines.c.cost), 0),
            func.sum(Order.discount_cents),
            func.sum(Order.total_cents),
        )
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
    await _add(session, table, ORDER_MEASURES, rows)
    await _drop_empty(session, table, table.c.region.in_([old, new]), span, tz)


async def _span(session: AsyncSession, column: Any, where: Any) -> tuple[datetime, datetime] | None:
    oldest, newest = (
        await session.execute(select(func.min(column), func.max(column)).where(where))
    ).one()
    if oldest is None:
        return None
    return oldest, newest + timedelta(seconds=1)


def _day(session: AsyncSession, column: Any, tz: ZoneInfo, span: tuple[datetime, datetime]) -> Any:
    # Typed as Date so that SQLite's date text comes back as a date, ready to bind again.
    return type_coerce(local_date(column, tz, session.bind.dialect, span=span), Date)


async def _add(
    session: AsyncSession, table: Table, measures: Sequence[str], rows: Sequence[list[Any]]
) -> None:
    """Add each row (its key columns, then ``measures``) to the stored row of its key."""
    if not rows:
        return
    keys = [column.name for column in table.primary_key.columns]
    names = [*keys, *measures]
    statement = add_on_conflict(session.bind.dialect, table, keys, measures)
    await session.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])


async def _drop_empty(
    session: AsyncSession, table: Table, keys: Any, span: tuple[datetime, datetime], tz: ZoneInfo
) -> None:
    """Delete rows left with no orders, as :func:`rebuild` would never have written them."""
    first, last = (_local(moment, tz) for moment in span)
    await session.execute(
        delete(table).where(keys, table.c.day.between(first, last), table.c.orders == 0)
    )


def _local(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()
