"""GraphQL types of orders and their items."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.db.models import Order as OrderRow
from shopx.db.models import OrderItem as OrderItemRow
from shopx.db.models import OrderStatus

strawberry.enum(OrderStatus, name="OrderStatus")


@strawberry.type(name="OrderItem", description="A line: prices and cost as captured at sale time.")
class OrderItemType:
    id: strawberry.ID
    order_id: strawberry.ID
    product_id: strawberry.ID
    quantity: int
    unit_price: Decimal
    unit_cost: Decimal
    line_total: Decimal

    @classmethod
    def from_row(cls, row: OrderItemRow) -> OrderItemType:
        return cls(
            id=strawberry.ID(str(row.id)),
            order_id=strawberry.ID(str(row.order_id)),
            product_id=strawberry.ID(str(row.product_id)),
            quantity=row.quantity,
            unit_price=money(row.unit_price_cents),
            unit_cost=money(row.unit_cost_cents),
            line_total=money(row.quantity * row.unit_price_cents),
        )


@strawberry.type(name="Order")
class OrderType:
    id: strawberry.ID
    customer_id: strawberry.ID
    sales_rep_id: strawberry.ID | None
    order_date: datetime
    status: OrderStatus
    payment_mode: str | None
    channel: str | None
    discount: Decimal
    total_amount: Decimal = strawberry.field(description="Item total less the discount.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: OrderRow) -> OrderType:
        return cls(
            id=strawberry.ID(str(row.id)),
            customer_id=strawberry.ID(str(row.customer_id)),
            sales_rep_id=strawberry.ID(str(row.sales_rep_id)) if row.sales_rep_id else None,
            order_date=row.ordered_at,
            status=OrderStatus(row.status),
            payment_mode=row.payment_mode,
            channel=row.channel,
            discount=money(row.discount_cents),
            total_amount=money(row.total_cents),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
