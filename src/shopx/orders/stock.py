"""Taking items from stock and giving them back.

Stock is read under a row lock (:func:`lock_stock`) and written back before the
transaction ends, so two orders can never both take the last unit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Order, OrderItem, Product, utc_now
from shopx.orders.rows import ChangedRows


async def lock_stock(session: AsyncSession, product_ids: Collection[int]) -> dict[int, int]:
    """The stock of these products (id -> units), locked until the transaction ends: rows
    in id order, one lock order for every writer, so concurrent writers queue instead of
    deadlocking. (On SQLite the write transaction already holds the database's lock.)"""
    if not product_ids:
        return {}
    rows = await session.execute(
        select(Product.id, Product.stock_quantity)
        .where(Product.id.in_(sorted(product_ids)))
        .order_by(Product.id)
        .with_for_update()
    )
    return {product_id: units for product_id, units in rows}


def stock_rows(stock: Mapping[int, int]) -> ChangedRows:
    """The stock of products locked by :func:`lock_stock`, to store
    (:func:`~shopx.orders.rows.write_rows`)."""
    now = utc_now()
    return ChangedRows(
        Product.__table__,
        "id",
        ("stock_quantity", "updated_at"),
        [(product_id, units, now) for product_id, units in sorted(stock.items())],
    )


async def return_stock(session: AsyncSession, order: Order) -> None:
    """Put an order's items back into stock."""
    lines = await session.execute(
        select(OrderItem.product_id, func.sum(OrderItem.quantity))
        .where(OrderItem.order_id == order.id, OrderItem.ordered_at == order.ordered_at)
        .group_by(OrderItem.product_id)
        .order_by(OrderItem.product_id)
    )
    for product_id, quantity in lines:
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock_quantity=Product.stock_quantity + quantity)
            .execution_options(synchronize_session=False)
        )
