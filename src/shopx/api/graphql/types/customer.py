"""The ``Customer`` type."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from shopx.analytics.metrics import money
from shopx.api.graphql.arguments import period_span
from shopx.api.graphql.context import Context
from shopx.api.graphql.dataloaders.orders_by_customer_id import NEWEST_FIRST, OrdersPage
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.keyset import DEFAULT_FIRST, page_size
from shopx.api.graphql.pagination import Connection, connection
from shopx.api.graphql.types.period import Period
from shopx.db.models import Customer as CustomerRow

if TYPE_CHECKING:
    from shopx.api.graphql.types.customer_metrics import CustomerMetricsType
    from shopx.api.graphql.types.order import OrderType

# Orders and customer metrics name their customer, so the customer reaches them lazily
# (strawberry.lazy).
LazyCustomerMetrics = Annotated[
    "CustomerMetricsType", strawberry.lazy("shopx.api.graphql.types.customer_metrics")
]
LazyOrder = Annotated["OrderType", strawberry.lazy("shopx.api.graphql.types.order")]


@strawberry.type(name="Customer")
class CustomerType:
    id: strawberry.ID
    external_id: str | None
    name: str
    email: str
    region: str | None
    gender: str | None
    age: int | None
    segment: str
    lifetime_value: Decimal = strawberry.field(
        description="Sum of the customer's recognised order totals."
    )
    order_count: int = strawberry.field(description="Number of recognised orders.")
    first_order_date: datetime | None
    last_order_date: datetime | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[CustomerRow]

    @strawberry.field(description="Spending in a period and RFM profile (as customerMetrics).")
    async def metrics(
        self,
        info: Info[Context, None],
        period: Period = Period.YEAR,
        date_range: DateRangeInput | None = None,
    ) -> LazyCustomerMetrics:
        # A lazy type reference: customer_metrics imports this module.
        from shopx.api.graphql.types.customer_metrics import customer_metrics_of

        span = period_span(info.context, period, date_range)
        return await customer_metrics_of(info.context, self.row.id, span)

    @strawberry.field(description="All the customer's orders (any status), newest first.")
    async def orders(
        self, info: Info[Context, None], first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[LazyOrder]:
        # A lazy type reference: order imports this module.
        from shopx.api.graphql.types.order import OrderType

        loaders = info.context.loaders
        size = page_size(first)
        position = NEWEST_FIRST.position(after) if after is not None else None
        rows = await loaders.orders_by_customer_id.load(OrdersPage(self.row.id, size, position))
        counter = partial(loaders.order_count_by_customer_id.load, self.row.id)
        return connection(rows, size, NEWEST_FIRST, OrderType.from_row, counter)

    @classmethod
    def from_row(cls, row: CustomerRow) -> CustomerType:
        return cls(
            id=strawberry.ID(str(row.id)),
            external_id=row.external_id,
            name=row.name,
            email=row.email,
            region=row.region,
            gender=row.gender,
            age=row.age,
            segment=row.segment,
            lifetime_value=money(row.lifetime_value_cents),
            order_count=row.order_count,
            first_order_date=row.first_order_at,
            last_order_date=row.last_order_at,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )
