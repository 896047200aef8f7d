"""Queries of the sales-rep list and one rep."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.sales_rep import SalesRepFilter, SalesRepSortInput
from shopx.api.graphql.keyset import DEFAULT_FIRST
from shopx.api.graphql.pagination import Connection, paginate
from shopx.api.graphql.types.sales_rep import SalesRepType
from shopx.api.graphql.values import identifier
from shopx.auth import Permission
from shopx.reps import repository


@strawberry.type
class SalesRepsQuery:
    @strawberry.field(description="The sales representative with this id, or null.")
    async def sales_rep(self, info: Info[Context, None], id: strawberry.ID) -> SalesRepType | None:
        info.context.require(Permission.ANALYTICS_READ)
        row = await info.context.loaders.rep_by_id.load(identifier(id, "id"))
        return SalesRepType.from_row(row) if row else None

    @strawberry.field(description="Sales representatives, filtered and sorted, a page at a time.")
    async def sales_reps(
        self,
        info: Info[Context, None],
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: SalesRepFilter | None = None,
        sort: SalesRepSortInput | None = None,
    ) -> Connection[SalesRepType]:
        info.context.require(Permission.ANALYTICS_READ)
        query = repository.reps_matching((filter or SalesRepFilter()).parsed())
        key = (sort or SalesRepSortInput()).key()
        return await paginate(
            info.context, query, key, SalesRepType.from_row, first=first, after=after
        )
