"""Mutations of orders: create, change status, cancel."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.order import (
    CancelOrderInput,
    CreateOrderInput,
    CreateOrdersInput,
    UpdateOrderStatusInput,
    new_order,
    new_orders,
)
from shopx.api.graphql.types.order import OrderType
from shopx.api.graphql.types.order_outcome import CreatedOrders, OrderError, OrderOutcome
from shopx.api.graphql.types.order_status import OrderStatus
from shopx.api.graphql.values import identifier
from shopx.auth import Permission
from shopx.db.engine import pool_timeout_is_unavailable
from shopx.db.models import Order
from shopx.errors import ShopXError
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
        with pool_timeout_is_unavailable():
            row = await context.orders.place(order)
        return OrderType.from_row(row)

    @strawberry.mutation(
        description=(
            "Place many orders in one call (point of sale, marketplaces): each is checked and "
            "applied on its own, all or nothing, as createOrder would; the answer lists each "
            "order placed or its error, in the input's order."
        )
    )
    async def create_orders(
        self, info: Info[Context, None], input: CreateOrdersInput
    ) -> CreatedOrders:
        context = info.context
        context.require(Permission.WRITE)
        parsed = new_orders(input)
        valid = [order for order in parsed if not isinstance(order, ShopXError)]
        with pool_timeout_is_unavailable():
            placed = iter(await context.orders.place_all(valid) if valid else [])
        outcomes = [
            _outcome(index, order if isinstance(order, ShopXError) else next(placed))
            for index, order in enumerate(parsed)
        ]
        failed = sum(outcome.error is not None for outcome in outcomes)
        return CreatedOrders(created=len(outcomes) - failed, failed=failed, outcomes=outcomes)

    @strawberry.mutation(description="Move an order along the status machine (see the input).")
    async def update_order_status(
        self, info: Info[Context, None], input: UpdateOrderStatusInput
    ) -> OrderType:
        return await _change_status(info.context, input.order_id, input.status)

    @strawberry.mutation(description="Cancel a PENDING or PROCESSING order; restores its stock.")
    async def cancel_order(self, info: Info[Context, None], input: CancelOrderInput) -> OrderType:
        return await _change_status(info.context, input.order_id, OrderStatus.CANCELLED)


def _outcome(index: int, placed: Order | ShopXError) -> OrderOutcome:
    if isinstance(placed, ShopXError):
        return OrderOutcome(
            index=index, order=None, error=OrderError(code=placed.code, message=placed.message)
        )
    return OrderOutcome(index=index, order=OrderType.from_row(placed), error=None)


async def _change_status(context: Context, order_id: str, status: OrderStatus) -> OrderType:
    context.require(Permission.WRITE)
    target = identifier(order_id, "orderId")
    async with context.write() as session:
        row = await service.change_status(
            session, target, status, rules=ReportingRules.of(context.settings)
        )
    return OrderType.from_row(row)
