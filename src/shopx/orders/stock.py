"""Taking items from stock and giving them back.

An order write reads its products' stock under a row lock
(:func:`shopx.orders.service.create_orders`) and writes it back before the transaction
ends (:func:`stock_rows`), so two orders can never both take the last unit.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Order, OrderItem, Product, utc_now
from shopx.orders.rows import ChangedRows


def stock_rows(stock: Mapping[int, int]) -> ChangedRows:
    """The stock of products read under their row lock, to store
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
