"""The ``CategoryInsight`` type: a category's item sales over a period."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from shopx.analytics.categories import CategorySales
from shopx.analytics.metrics import ItemTotals
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.category import CategoryType
from shopx.api.graphql.types.item_sales import item_sales_fields


@strawberry.type(description=f"{definition(CategorySales)} {definition(ItemTotals)}")
class CategoryInsight:
    category: CategoryType
    revenue: Decimal
    profit: Decimal
    profit_margin: float | None
    units_sold: int
    order_count: int
    percentage: float | None = strawberry.field(description=definition(CategorySales.share))
    category_id: strawberry.Private[int]

    @strawberry.field(description="Active products in the category's subtree.")
    async def product_count(self, info: Info[Context, None]) -> int:
        return await info.context.loaders.product_count_by_category_id.load(self.category_id)

    @classmethod
    def build(cls, row: CategorySales) -> CategoryInsight:
        totals: ItemTotals = row.totals
        return cls(
            category=CategoryType.from_row(row.category),
            **item_sales_fields(totals),
            percentage=row.share,
            category_id=row.category.id,
        )
