"""The ``Brand`` type: a brand name of the catalog and how many products carry it."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.definitions import definition
from shopx.catalog.repository import BrandCount


@strawberry.type(description="A brand named by the catalog's products.")
class Brand:
    name: str
    product_count: int = strawberry.field(description=definition(BrandCount, "products"))

    @classmethod
    def build(cls, row: BrandCount) -> Brand:
        return cls(name=row.name, product_count=row.products)
