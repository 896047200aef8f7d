"""The ``Alert`` type: a low-stock or job-failure alert."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from shopx.alerts.repository import AlertKind as Kind
from shopx.api.graphql.context import Context
from shopx.api.graphql.types.alert_kind import AlertKind
from shopx.api.graphql.types.product import ProductType
from shopx.db.models import Alert as AlertRow


@strawberry.type(
    description="Something an owner should hear about: a product at or below its reorder"
    " level (subject product:<id>) or a job whose last run failed (subject job:<name>). One"
    " alert of a kind and subject is open at a time; it closes when the condition ends."
)
class Alert:
    id: strawberry.ID
    kind: AlertKind
    subject: str = strawberry.field(description="product:<id> or job:<name>.")
    message: str = strawberry.field(description="What happened, as it was sent.")
    opened_at: datetime = strawberry.field(description="When the condition began (UTC).")
    closed_at: datetime | None = strawberry.field(
        description="When it ended (restocked, the job succeeded); null while open."
    )
    notified_at: datetime | None = strawberry.field(
        description="When its current state (open, or closed) was sent to the webhook and by"
        " e-mail; null until it was (closing it clears it until the closing is sent)."
    )
    product_id: strawberry.Private[int | None]

    @strawberry.field(description="The product a low-stock alert is about; null otherwise.")
    async def product(self, info: Info[Context, None]) -> ProductType | None:
        if self.product_id is None:
            return None
        row = await info.context.loaders.product_by_id.load(self.product_id)
        return ProductType.from_row(row) if row else None

    @classmethod
    def from_row(cls, row: AlertRow) -> Alert:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=Kind(row.kind),
            subject=row.subject,
            message=row.message,
            opened_at=row.opened_at,
            closed_at=row.closed_at,
            notified_at=row.notified_at,
            product_id=row.product_id,
        )
