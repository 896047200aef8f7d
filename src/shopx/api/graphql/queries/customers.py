"""Queries of the customer list and one customer."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.customer import CustomerFilter, CustomerSortInput
from shopx.api.graphql.keyset import DEFAULT_FIRST
from shopx.api.graphql.pagination import Connection, paginate
from shopx.api.graphql.types.customer import CustomerType
from shopx.api.graphql.values import identifier
from shopx.auth import Permission
from shopx.customers import repository


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
        query = repository.customers_matching((filter or CustomerFilter()).parsed())
        key = (sort or CustomerSortInput()).key()
        return await paginate(
            info.context, query, key, CustomerType.from_row, first=first, after=after
        )
