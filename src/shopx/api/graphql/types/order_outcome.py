"""The answer of ``createOrders``: each order placed, or why not."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.types.order import OrderType


@strawberry.type(description="Why an order of a bulk call was not placed (nothing of it written).")
class OrderError:
    code: str = strawberry.field(description="BAD_USER_INPUT or NOT_FOUND, as createOrder's.")
    message: str


@strawberry.type(description="One order of a bulk call: the order placed, or its error.")
class OrderOutcome:
    index: int = strawberry.field(description="Position in the input's orders, from 0.")
    order: OrderType | None = strawberry.field(description="The order placed; null on error.")
    error: OrderError | None = strawberry.field(description="Why it was not placed; else null.")


@strawberry.type(description="What createOrders did, order by order, in the input's order.")
class CreatedOrders:
    created: int = strawberry.field(description="Orders placed.")
    failed: int = strawberry.field(description="Orders refused (nothing of them written).")
    outcomes: list[OrderOutcome]
