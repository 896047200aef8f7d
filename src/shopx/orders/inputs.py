"""Mutation inputs of orders and their translation to :class:`NewOrder`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.api.graphql.values import aware, cents, identifier, text
from shopx.bounds import MAX_CENTS, MAX_DATE, MAX_ORDER_LINES, MAX_QUANTITY, MIN_DATE
from shopx.orders.service import NewLine, NewOrder
from shopx.orders.types import OrderStatus


@strawberry.input(description="One line of a new order.")
class OrderItemInput:
    product_id: strawberry.ID
    quantity: int = strawberry.field(description=f"1 to {MAX_QUANTITY}.")
    unit_price: Decimal | None = strawberry.field(
        default=None, description="Defaults to the product's current selling price."
    )


@strawberry.input(
    description=(
        "A new order. Takes its items from stock atomically (unless created CANCELLED or "
        "REFUNDED) and captures each item's price and cost. Each line total, the item "
        f"subtotal and every amount are at most {money(MAX_CENTS)}."
    )
)
class CreateOrderInput:
    customer_id: strawberry.ID
    items: list[OrderItemInput] = strawberry.field(description=f"1 to {MAX_ORDER_LINES} lines.")
    sales_rep_id: strawberry.ID | None = None
    order_date: datetime | None = strawberry.field(
        default=None,
        description=(
            f"Default now. Past times back to {MIN_DATE} are allowed (backfill); at most "
            f"5 minutes ahead of the server clock, and not after {MAX_DATE}."
        ),
    )
    status: OrderStatus = OrderStatus.PENDING
    payment_mode: str | None = None
    channel: str | None = None
    discount: Decimal | None = strawberry.field(
        default=None, description="Order-level discount, at most the item subtotal. Default 0."
    )


@strawberry.input(
    description=(
        "PENDING -> PROCESSING -> COMPLETED -> REFUNDED; PENDING/PROCESSING -> CANCELLED; "
        "PENDING -> COMPLETED. Cancelling or refunding restores stock."
    )
)
class UpdateOrderStatusInput:
    order_id: strawberry.ID
    status: OrderStatus


@strawberry.input(description="Cancel a PENDING or PROCESSING order; restores its stock.")
class CancelOrderInput:
    order_id: strawberry.ID


def new_order(data: CreateOrderInput) -> NewOrder:
    optional_text = text(32, blank=True)
    return NewOrder(
        customer_id=identifier(data.customer_id, "customerId"),
        lines=tuple(_line(item, index) for index, item in enumerate(data.items)),
        sales_rep_id=(
            identifier(data.sales_rep_id, "salesRepId") if data.sales_rep_id is not None else None
        ),
        ordered_at=aware(data.order_date, "orderDate") if data.order_date is not None else None,
        status=data.status,
        payment_mode=optional_text(data.payment_mode, "paymentMode") if data.payment_mode else None,
        channel=optional_text(data.channel, "channel") if data.channel else None,
        discount_cents=cents(data.discount, "discount") if data.discount is not None else 0,
    )


def _line(item: OrderItemInput, index: int) -> NewLine:
    label = f"items[{index}]"
    return NewLine(
        product_id=identifier(item.product_id, f"{label}.productId"),
        quantity=item.quantity,
        unit_price_cents=(
            cents(item.unit_price, f"{label}.unitPrice") if item.unit_price is not None else None
        ),
    )
