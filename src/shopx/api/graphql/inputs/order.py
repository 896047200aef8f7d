"""Inputs of the order list (filter, sort) and of the order mutations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry

from shopx.analytics.metrics import money
from shopx.api.graphql.arguments import period_span
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.keyset import SortKey
from shopx.api.graphql.types.order_status import OrderStatus
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.sort_direction import SortDirection
from shopx.api.graphql.values import aware, cents, identifier, text, unless_null
from shopx.bounds import (
    MAX_BULK_LINES,
    MAX_BULK_ORDERS,
    MAX_CENTS,
    MAX_DATE,
    MAX_ORDER_LINES,
    MAX_QUANTITY,
    MIN_DATE,
)
from shopx.db.models import Order
from shopx.errors import BadInput, ShopXError
from shopx.orders import repository
from shopx.orders.service import NewLine, NewOrder


@strawberry.input(description="Every field narrows the list. Totals are inclusive.")
class OrderFilter:
    status: OrderStatus | None = None
    customer_id: strawberry.ID | None = None
    sales_rep_id: strawberry.ID | None = None
    period: Period | None = strawberry.field(
        default=None, description="Orders placed in this period (see Period)."
    )
    date_range: DateRangeInput | None = strawberry.field(
        default=None, description="Orders placed on these local dates; wins over period."
    )
    min_total: Decimal | None = None
    max_total: Decimal | None = None

    def parsed(self, context: Context) -> repository.OrderCriteria:
        span = None
        if self.period is not None or self.date_range is not None:
            span = period_span(context, self.period or Period.CUSTOM, self.date_range)
        return repository.OrderCriteria(
            status=self.status.value if self.status is not None else None,
            customer_id=unless_null(identifier, self.customer_id, "customerId"),
            sales_rep_id=unless_null(identifier, self.sales_rep_id, "salesRepId"),
            placed_from=span.start if span else None,
            placed_before=span.end if span else None,
            min_total_cents=unless_null(cents, self.min_total, "minTotal"),
            max_total_cents=unless_null(cents, self.max_total, "maxTotal"),
        )


@strawberry.enum(description="ORDER_DATE is when the order was placed; ID is creation order.")
class OrderSortField(Enum):
    ORDER_DATE = "ORDER_DATE"
    TOTAL_AMOUNT = "TOTAL_AMOUNT"
    ID = "ID"


SORT_COLUMNS = {
    OrderSortField.ORDER_DATE: Order.ordered_at,
    OrderSortField.TOTAL_AMOUNT: Order.total_cents,
    OrderSortField.ID: Order.id,
}


@strawberry.input(description="Without a sort: ORDER_DATE descending (newest first).")
class OrderSortInput:
    field: OrderSortField = OrderSortField.ORDER_DATE
    direction: SortDirection = SortDirection.ASC

    def key(self) -> SortKey:
        return SortKey.of(self.field, SORT_COLUMNS, self.direction)


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
        f"At most {MAX_BULK_ORDERS:,} orders and {MAX_BULK_LINES:,} lines across them. Each "
        "order is checked and applied on its own, all or nothing, in the list's order (an "
        "order that would take stock an earlier one took fails for stock)."
    )
)
class CreateOrdersInput:
    orders: list[CreateOrderInput]


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


def new_orders(data: CreateOrdersInput) -> list[NewOrder | ShopXError]:
    """The orders of a bulk call, each parsed or with the error of its own input; the call
    as a whole is refused past its bounds."""
    if not data.orders:
        raise BadInput("orders: give at least one order")
    if len(data.orders) > MAX_BULK_ORDERS:
        raise BadInput(f"orders: at most {MAX_BULK_ORDERS:,} per call, got {len(data.orders):,}")
    lines = sum(len(order.items) for order in data.orders)
    if lines > MAX_BULK_LINES:
        raise BadInput(f"orders: at most {MAX_BULK_LINES:,} lines per call, got {lines:,}")
    parsed: list[NewOrder | ShopXError] = []
    for order in data.orders:
        try:
            parsed.append(new_order(order))
        except ShopXError as error:
            parsed.append(error)
    return parsed
