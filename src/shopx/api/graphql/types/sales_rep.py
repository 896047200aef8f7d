"""The ``SalesRep`` type."""

from __future__ import annotations

from datetime import datetime

import strawberry

from shopx.db.models import SalesRepresentative


@strawberry.type(name="SalesRep")
class SalesRepType:
    id: strawberry.ID
    name: str
    email: str
    region: str | None
    commission_rate: float = strawberry.field(description="Commission in percent (5.0 = 5%).")
    is_active: bool
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[SalesRepresentative]

    @classmethod
    def from_row(cls, row: SalesRepresentative) -> SalesRepType:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            email=row.email,
            region=row.region,
            commission_rate=row.commission_rate_bp / 100,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )
