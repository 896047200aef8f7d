"""Order queries: one order by id, and the order list."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from shopx.analytics.periods import Period
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs import DateRangeInput, period_span
from shopx.api.graphql.pagination import (
    DEFAULT_FIRST,
    Connection,
    SortDirection,
    SortKey,
    paginate,
)
from shopx.api.graphql.values import Convert, cents, identifier
from shopx.auth import Permission
from shopx.db.models import Order, OrderStatus
from shopx.orders import queries
from shopx.orders.types import OrderType


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

    def parsed(self, context: Context) -> queries.OrderFilter:
        span = None
        if self.period is not None or self.date_range is not None:
            span = period_span(context, self.period or Period.CUSTOM, self.date_range)
        return queries.OrderFilter(
            status=self.status.value if self.status is not None else None,
            customer_id=_unless_null(identifier, self.customer_id, "customerId"),
            sales_rep_id=_unless_null(identifier, self.sales_rep_id, "salesRepId"),
            placed_from=span.start if span else None,
            placed_before=span.end if span else None,
            min_total_cents=_unless_null(cents, self.min_total, "minTotal"),
            max_total_cents=_unless_null(cents, self.max_total, "maxTotal"),
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


NEWEST_FIRST = OrderSortInput(field=OrderSortField.ORDER_DATE, direction=SortDirection.DESC)


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
        key = (sort or NEWEST_FIRST).key()
        return await paginate(
            context,
            queries.orders_matching(where),
            key,
            OrderType.from_row,
            first=first,
            after=after,
            count=queries.rollup_count(where),
        )


def _unless_null(convert: Convert, value: Any, label: str) -> Any:
    return None if value is None else convert(value, label)
