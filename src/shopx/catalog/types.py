"""GraphQL types of the catalog: categories and products."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money, percentage
from shopx.db.models import Category as CategoryRow
from shopx.db.models import Product as ProductRow


@strawberry.type(name="Category", description="A node of the two-level category tree.")
class CategoryType:
    id: strawberry.ID
    name: str
    parent_id: strawberry.ID | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: CategoryRow) -> CategoryType:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            parent_id=strawberry.ID(str(row.parent_id)) if row.parent_id else None,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(name="Product", description="A product. Prices are exact decimals.")
class ProductType:
    id: strawberry.ID
    sku: str
    name: str
    description: str | None
    brand: str | None
    category_id: strawberry.ID
    cost_price: Decimal
    selling_price: Decimal
    stock_quantity: int
    reorder_level: int
    is_active: bool
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[ProductRow]

    @strawberry.field(description="(selling - cost) / selling at current prices, in %.")
    def profit_margin(self) -> float | None:
        price = self.row.selling_price_cents
        return percentage(price - self.row.cost_price_cents, price)

    @classmethod
    def from_row(cls, row: ProductRow) -> ProductType:
        return cls(
            id=strawberry.ID(str(row.id)),
            sku=row.sku,
            name=row.name,
            description=row.description,
            brand=row.brand,
            category_id=strawberry.ID(str(row.category_id)),
            cost_price=money(row.cost_price_cents),
            selling_price=money(row.selling_price_cents),
            stock_quantity=row.stock_quantity,
            reorder_level=row.reorder_level,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )
