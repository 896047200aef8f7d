"""GraphQL type of a customer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.db.models import Customer as CustomerRow


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
        )
