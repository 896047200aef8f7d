"""Queries of the order list and one order."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.order import OrderFilter, OrderSortField, OrderSortInput
from shopx.api.graphql.keyset import DEFAULT_FIRST
from shopx.api.graphql.pagination import Connection, paginate
from shopx.api.graphql.types.order import OrderType
from shopx.api.graphql.types.sort_direction import SortDirection
from shopx.api.graphql.values import identifier
from shopx.auth import Permission
from shopx.orders import repository

DEFAULT_SORT = OrderSortInput(field=OrderSortField.ORDER_DATE, direction=SortDirection.DESC)


@strawberry.type
class OrdersQuery:
    @strawberry.field(description="The order with this id, or null.")
    async def order(self, info: Info[Context, None], id: strawberry.ID) -> OrderType | None:
        info.context.require(Permission.ANALYTICS_READ)
        row = await info.context.loaders.order_by_id.load(identifier(id, "id"))
        return OrderType.from_row(row) if row else None

    @strawberry.field(description="Orders (any status), filtered and sorted, a page at a time.")
    async def orders(
        self,
        info: Info[Context, None],
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: OrderFilter | None = None,
        sort: OrderSortInput | None = None,
    ) -> Connection[OrderType]:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        where = (filter or OrderFilter()).parsed(context)
        key = (sort or DEFAULT_SORT).key()
        return await paginate(
            context,
            repository.orders_matching(where),
            key,
            OrderType.from_row,
            first=first,
            after=after,
            count=repository.rollup_count(where),
        )
