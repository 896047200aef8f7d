"""Inputs of the sales-rep list (filter, sort) and of the sales-rep mutations."""

from __future__ import annotations

from enum import Enum

import strawberry

from shopx.api.graphql.keyset import SortKey
from shopx.api.graphql.types.sort_direction import SortDirection
from shopx.api.graphql.values import Field, as_is, basis_points, email, text, wanted
from shopx.db.models import SalesRepresentative
from shopx.reps import repository


@strawberry.input(description="Every field narrows the list.")
class SalesRepFilter:
    region: str | None = None
    is_active: bool | None = None

    def parsed(self) -> repository.RepCriteria:
        return repository.RepCriteria(
            region=wanted(self.region, "region"), is_active=self.is_active
        )


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


SALES_REP_FIELDS = (
    Field("name", "name", text(200)),
    Field("email", "email", email),
    Field("region", "region", text(64, blank=True), nullable=True),
    Field("commission_rate", "commission_rate_bp", basis_points),
    Field("is_active", "is_active", as_is),
)


COMMISSION = "Commission in percent, 0 to 100 with at most two decimals (5.25 = 5.25%)."


@strawberry.input(
    description=(
        "A sales rep; email (case-insensitive) is unique among reps. Text is stored in "
        "Unicode NFC and may not hold control characters."
    )
)
class CreateSalesRepInput:
    name: str
    email: str
    region: str | None = None
    commission_rate: float = strawberry.field(default=0.0, description=COMMISSION)


@strawberry.input(description="Fields left out stay as they are.")
class UpdateSalesRepInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    commission_rate: float | None = strawberry.field(
        default=strawberry.UNSET, description=COMMISSION
    )
    is_active: bool | None = strawberry.UNSET
