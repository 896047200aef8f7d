"""Taking items from stock and giving them back.

Stock is changed only by conditional updates, never read and written back, so two
orders can never both take the last unit.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Order, OrderItem, Product
from shopx.errors import BadInput


async def take_stock(session: AsyncSession, quantities: Mapping[int, int]) -> None:
    """Take ``quantities`` (product id -> units), all or nothing: raise if any falls short."""
    # One lock order for every writer: products by id.
    for product_id in sorted(quantities):
        wanted = quantities[product_id]
        taken = await session.execute(
            update(Product)
            .where(Product.id == product_id, Product.stock_quantity >= wanted)
            .values(stock_quantity=Product.stock_quantity - wanted)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            available = await session.scalar(
                select(Product.stock_quantity).where(Product.id == product_id)
            )
            raise BadInput(
                f"items: insufficient stock for product {product_id}:"
                f" {wanted} requested, {available} available"
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
