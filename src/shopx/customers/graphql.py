"""Customer queries: one customer by id, and the customer list."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.pagination import (
    DEFAULT_FIRST,
    Connection,
    SortDirection,
    SortKey,
    paginate,
)
from shopx.api.graphql.values import identifier, wanted
from shopx.auth import Permission
from shopx.customers import queries
from shopx.customers.types import CustomerType
from shopx.db.models import Customer, Segment
from shopx.errors import BadInput


@strawberry.input(description="Every field narrows the list.")
class CustomerFilter:
    region: str | None = None
    segment: str | None = strawberry.field(
        default=None, description="PREMIUM, REGULAR, NEW, AT_RISK or CHURNED."
    )
    is_active: bool | None = None
    search: str | None = strawberry.field(
        default=None, description="Found in the name or email, any case."
    )

    def parsed(self) -> queries.CustomerFilter:
        if self.segment is not None and self.segment not in Segment.__members__:
            known = ", ".join(Segment)
            raise BadInput(f"unknown segment {self.segment!r}; use one of {known}")
        return queries.CustomerFilter(
            region=wanted(self.region, "region"),
            segment=self.segment,
            is_active=self.is_active,
            search=(wanted(self.search, "search") or "").strip() or None,
        )


@strawberry.enum(description="ID is creation order.")
class CustomerSortField(Enum):
    NAME = "NAME"
    EMAIL = "EMAIL"
    LIFETIME_VALUE = "LIFETIME_VALUE"
    ORDER_COUNT = "ORDER_COUNT"
    LAST_ORDER_DATE = "LAST_ORDER_DATE"
    ID = "ID"


SORT_COLUMNS = {
    CustomerSortField.NAME: Customer.name,
    CustomerSortField.EMAIL: Customer.email,
    CustomerSortField.LIFETIME_VALUE: Customer.lifetime_value_cents,
    CustomerSortField.ORDER_COUNT: Customer.order_count,
    CustomerSortField.LAST_ORDER_DATE: Customer.last_order_at,
    CustomerSortField.ID: Customer.id,
}


@strawberry.input(
    description="Default: NAME ascending. Customers who never ordered sort last by date."
)
class CustomerSortInput:
    field: CustomerSortField = CustomerSortField.NAME
    direction: SortDirection = SortDirection.ASC

    def key(self) -> SortKey:
        return SortKey.of(self.field, SORT_COLUMNS, self.direction)


@strawberry.type
class CustomersQuery:
    @strawberry.field(description="The customer with this id, or null.")
    async def customer(self, info: Info[Context, None], id: strawberry.ID) -> CustomerType | None:
        info.context.require(Permission.ANALYTICS_READ)
        row = await info.context.loaders.customer_by_id.load(identifier(id, "id"))
        return CustomerType.from_row(row) if row else None

    @strawberry.field(description="Customers, filtered and sorted, a page at a time.")
    async def customers(
        self,
        info: Info[Context, None],
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: CustomerFilter | None = None,
        sort: CustomerSortInput | None = None,
    ) -> Connection[CustomerType]:
        info.context.require(Permission.ANALYTICS_READ)
        query = queries.customers_matching((filter or CustomerFilter()).parsed())
        key = (sort or CustomerSortInput()).key()
        return await paginate(
            info.context, query, key, CustomerType.from_row, first=first, after=after
        )
