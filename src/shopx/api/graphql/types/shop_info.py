"""The ``ShopInfo`` type: what a client needs to format and label the shop's numbers."""

from __future__ import annotations

import strawberry

from shopx import __version__
from shopx.config import Settings


@strawberry.type(description="The shop as configured: how to format and label its numbers.")
class ShopInfo:
    name: str
    currency: str = strawberry.field(description="ISO 4217 code; amounts are in this currency.")
    timezone: str = strawberry.field(
        description="The business time zone (IANA name): periods are cut at its midnight."
    )
    revenue_statuses: list[str] = strawberry.field(
        description="Order statuses that count as revenue."
    )
    version: str = strawberry.field(description="The ShopX version serving this API.")
    anonymous_reads: bool = strawberry.field(
        description="Whether reads are answered without a bearer token."
    )

    @classmethod
    def of(cls, settings: Settings) -> ShopInfo:
        return cls(
            name=settings.shop_name,
            currency=settings.currency,
            timezone=settings.timezone,
            revenue_statuses=list(settings.revenue_statuses),
            version=__version__,
            anonymous_reads=settings.anonymous_reads,
        )
