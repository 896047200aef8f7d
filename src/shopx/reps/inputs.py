"""Mutation inputs of sales reps and how their fields become columns."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.values import Field, as_is, basis_points, email, text

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
