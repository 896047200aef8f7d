"""The ``ProductInsight`` type: a product's item sales over a period, ranked."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics import products
from shopx.analytics.metrics import ItemTotals
from shopx.analytics.products import ProductSales
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.item_sales import item_sales_fields
from shopx.api.graphql.types.product import ProductType
from shopx.db.models import Product


@strawberry.type(description=f"{definition(ProductSales)} {definition(ItemTotals)}")
class ProductInsight:
    product: ProductType
    revenue: Decimal
    units_sold: int
    order_count: int
    profit: Decimal
    profit_margin: float | None = strawberry.field(description=definition(ItemTotals.profit_margin))
    growth_rate: float | None = strawberry.field(description=definition(ProductSales.growth_rate))
    rank: int

    @classmethod
    def build(cls, row: ProductSales, product: Product) -> ProductInsight:
        totals = row.totals
        return cls(
            product=ProductType.from_row(product),
            **item_sales_fields(totals),
            growth_rate=row.growth_rate,
            rank=row.rank,
        )


async def ranked_insights(
    context: Context, rows: list[products.ProductSales]
) -> list[ProductInsight]:
    """The rows with their products, loaded once the caller has closed its session."""
    found = await context.loaders.product_by_id.load_many([row.product_id for row in rows])
    return [ProductInsight.build(row, product) for row, product in zip(rows, found, strict=True)]
