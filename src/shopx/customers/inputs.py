"""Mutation inputs of customers and how their fields become columns."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.values import Field, age, as_is, email, text

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
