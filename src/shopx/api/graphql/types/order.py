"""The ``Order`` type."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from shopx.analytics.metrics import money
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.customer import CustomerType
from shopx.api.graphql.types.order_item import OrderItemType
from shopx.api.graphql.types.order_status import OrderStatus
from shopx.api.graphql.types.sales_rep import SalesRepType
from shopx.db.models import Order as OrderRow
from shopx.errors import NotFound
from shopx.orders import figures


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
    row: strawberry.Private[OrderRow]

    @strawberry.field
    async def customer(self, info: Info[Context, None]) -> CustomerType:
        row = await info.context.loaders.customer_by_id.load(self.row.customer_id)
        if row is None:
            raise NotFound(f"customer {self.row.customer_id} of order {self.row.id} not found")
        return CustomerType.from_row(row)

    @strawberry.field(description="The rep who made the sale; null for an online order.")
    async def sales_rep(self, info: Info[Context, None]) -> SalesRepType | None:
        if self.row.sales_rep_id is None:
            return None
        row = await info.context.loaders.rep_by_id.load(self.row.sales_rep_id)
        return SalesRepType.from_row(row) if row else None

    @strawberry.field(description="The order's lines.")
    async def items(self, info: Info[Context, None]) -> list[OrderItemType]:
        rows = await info.context.loaders.items_by_order_id.load(self.row.id)
        return [OrderItemType.from_row(row) for row in rows]

    @strawberry.field(description="Number of lines (items) in the order.")
    async def item_count(self, info: Info[Context, None]) -> int:
        return len(await info.context.loaders.items_by_order_id.load(self.row.id))

    @strawberry.field(description=definition(figures.unit_count))
    async def unit_count(self, info: Info[Context, None]) -> int:
        return figures.unit_count(await info.context.loaders.items_by_order_id.load(self.row.id))

    @strawberry.field(description=definition(figures.profit_cents))
    async def profit(self, info: Info[Context, None]) -> Decimal:
        rows = await info.context.loaders.items_by_order_id.load(self.row.id)
        return money(figures.profit_cents(self.row, rows))

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
            row=row,
        )
