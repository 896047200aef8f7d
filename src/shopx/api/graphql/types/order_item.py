"""The ``OrderItem`` type: a line of an order."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from shopx.analytics.metrics import money
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.product import ProductType
from shopx.db.models import OrderItem as OrderItemRow
from shopx.errors import NotFound
from shopx.orders import figures


@strawberry.type(name="OrderItem", description="A line: prices and cost as captured at sale time.")
class OrderItemType:
    id: strawberry.ID
    order_id: strawberry.ID
    product_id: strawberry.ID
    quantity: int
    unit_price: Decimal
    unit_cost: Decimal
    line_total: Decimal = strawberry.field(description=definition(figures.line_total_cents))
    row: strawberry.Private[OrderItemRow]

    @strawberry.field
    async def product(self, info: Info[Context, None]) -> ProductType:
        row = await info.context.loaders.product_by_id.load(self.row.product_id)
        if row is None:
            raise NotFound(f"product {self.row.product_id} of item {self.row.id} not found")
        return ProductType.from_row(row)

    @classmethod
    def from_row(cls, row: OrderItemRow) -> OrderItemType:
        return cls(
            id=strawberry.ID(str(row.id)),
            order_id=strawberry.ID(str(row.order_id)),
            product_id=strawberry.ID(str(row.product_id)),
            quantity=row.quantity,
            unit_price=money(row.unit_price_cents),
            unit_cost=money(row.unit_cost_cents),
            line_total=money(figures.line_total_cents(row)),
            row=row,
        )
