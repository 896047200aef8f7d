"""Inputs of the customer list (filter, sort) and of the customer mutations."""

from __future__ import annotations

from enum import Enum

import strawberry

from shopx.api.graphql.keyset import SortKey
from shopx.api.graphql.types.customer_segment import Segment
from shopx.api.graphql.types.sort_direction import SortDirection
from shopx.api.graphql.values import Field, age, as_is, email, text, wanted
from shopx.customers import repository
from shopx.db.models import Customer
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

    def parsed(self) -> repository.CustomerCriteria:
        if self.segment is not None and self.segment not in Segment.__members__:
            known = ", ".join(Segment)
            raise BadInput(f"unknown segment {self.segment!r}; use one of {known}")
        return repository.CustomerCriteria(
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


CUSTOMER_FIELDS = (
    Field("name", "name", text(200)),
    Field("email", "email", email),
    Field("external_id", "external_id", text(120, blank=True), nullable=True),
    Field("region", "region", text(64, blank=True), nullable=True),
    Field("gender", "gender", text(16, blank=True), nullable=True),
    Field("age", "age", age, nullable=True),
    Field("is_active", "is_active", as_is),
)


@strawberry.input(
    description=(
        "A customer; email (case-insensitive) and externalId are unique. Text is stored in "
        "Unicode NFC and may not hold control characters."
    )
)
class CreateCustomerInput:
    name: str
    email: str
    external_id: str | None = None
    region: str | None = None
    gender: str | None = None
    age: int | None = strawberry.field(default=None, description="0 to 150.")


@strawberry.input(
    description=(
        "Fields left out stay as they are. A new region moves the customer's order history "
        "with it (an order's region is its customer's current region)."
    )
)
class UpdateCustomerInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    external_id: str | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    gender: str | None = strawberry.UNSET
    age: int | None = strawberry.UNSET
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="true restores a deleted customer."
    )


@strawberry.input(description="Soft delete: the customer stays in history, inactive.")
class DeleteCustomerInput:
    id: strawberry.ID
