"""Sales rep queries: one rep by id, and the rep list."""

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
from shopx.db.models import SalesRepresentative
from shopx.reps import queries
from shopx.reps.types import SalesRepType


@strawberry.input(description="Every field narrows the list.")
class SalesRepFilter:
    region: str | None = None
    is_active: bool | None = None

    def parsed(self) -> queries.RepFilter:
        return queries.RepFilter(region=wanted(self.region, "region"), is_active=self.is_active)


@strawberry.enum(description="ID is creation order.")
class SalesRepSortField(Enum):
    NAME = "NAME"
    EMAIL = "EMAIL"
    COMMISSION_RATE = "COMMISSION_RATE"
    ID = "ID"


SORT_COLUMNS = {
    SalesRepSortField.NAME: SalesRepresentative.name,
    SalesRepSortField.EMAIL: SalesRepresentative.email,
    SalesRepSortField.COMMISSION_RATE: SalesRepresentative.commission_rate_bp,
    SalesRepSortField.ID: SalesRepresentative.id,
}


@strawberry.input(description="Default: NAME ascending.")
class SalesRepSortInput:
    field: SalesRepSortField = SalesRepSortField.NAME
    direction: SortDirection = SortDirection.ASC

    def key(self) -> SortKey:
        return SortKey.of(self.field, SORT_COLUMNS, self.direction)


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
        query = queries.reps_matching((filter or SalesRepFilter()).parsed())
        key = (sort or SalesRepSortInput()).key()
        return await paginate(
            info.context, query, key, SalesRepType.from_row, first=first, after=after
        )
