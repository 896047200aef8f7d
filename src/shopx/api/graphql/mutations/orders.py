"""Mutations of orders: create, change status, cancel."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.order import (
    CancelOrderInput,
    CreateOrderInput,
    UpdateOrderStatusInput,
    new_order,
)
from shopx.api.graphql.types.order import OrderType
from shopx.api.graphql.types.order_status import OrderStatus
from shopx.api.graphql.values import identifier
from shopx.auth import Permission
from shopx.orders import service


@strawberry.type
class OrderMutation:
    @strawberry.mutation(
        description=(
            "Place an order: checks and takes stock atomically, captures prices and costs, "
            "updates the customer's statistics and the rollups; all or nothing."
        )
    )
    async def create_order(self, info: Info[Context, None], input: CreateOrderInput) -> OrderType:
        context = info.context
        context.require(Permission.WRITE)
        order = new_order(input)
        async with context.write() as session:
            row = await service.create_order(
                session, order, rules=ReportingRules.of(context.settings), now=context.now
            )
        return OrderType.from_row(row)

    @strawberry.mutation(description="Move an order along the status machine (see the input).")
    async def update_order_status(
        self, info: Info[Context, None], input: UpdateOrderStatusInput
    ) -> OrderType:
        return await _change_status(info.context, input.order_id, input.status)

    @strawberry.mutation(description="Cancel a PENDING or PROCESSING order; restores its stock.")
    async def cancel_order(self, info: Info[Context, None], input: CancelOrderInput) -> OrderType:
        return await _change_status(info.context, input.order_id, OrderStatus.CANCELLED)


async def _change_status(context: Context, order_id: str, status: OrderStatus) -> OrderType:
    context.require(Permission.WRITE)
    target = identifier(order_id, "orderId")
    async with context.write() as session:
        row = await service.change_status(
            session, target, status, rules=ReportingRules.of(context.settings)
        )
    return OrderType.from_row(row)
