"""GraphQL types of product and category insights."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from shopx.analytics.categories import CategorySales
from shopx.analytics.metrics import ItemTotals, average, growth, money
from shopx.analytics.products import ProductPerformance, ProductSales
from shopx.api.graphql.context import Context
from shopx.catalog.types import CategoryType, ProductType
from shopx.db.models import Product

ITEM_SALES = (
    "Item sales: quantity x unit price before order-level discounts, recognised orders only."
)


@strawberry.type(description=f"A product's sales over a period. {ITEM_SALES}")
class ProductInsight:
    product: ProductType
    revenue: Decimal
    units_sold: int
    order_count: int
    profit: Decimal
    profit_margin: float | None = strawberry.field(description="Profit / revenue, in %.")
    growth_rate: float | None = strawberry.field(
        description="Revenue change vs the previous period, in %; null when it sold nothing then."
    )
    rank: int

    @classmethod
    def build(cls, row: ProductSales, product: Product) -> ProductInsight:
        totals = row.totals
        return cls(
            product=ProductType.from_row(product),
            revenue=money(totals.revenue_cents),
            units_sold=totals.units,
            order_count=totals.orders,
            profit=money(totals.profit_cents),
            profit_margin=totals.profit_margin,
            growth_rate=row.growth_rate,
            rank=row.rank,
        )


@strawberry.type(description=f"One product over a period. {ITEM_SALES}")
class ProductPerformanceType:
    product: ProductType
    revenue: Decimal
    units_sold: int
    order_count: int
    average_price: Decimal = strawberry.field(description="Revenue / units sold.")
    profit: Decimal
    profit_margin: float | None
    growth_rate: float | None = strawberry.field(
        description="Revenue growth vs the previous period, %."
    )
    revenue_change: Decimal
    units_change: int
    first_sale_date: datetime | None = strawberry.field(description="First recognised sale ever.")
    last_sale_date: datetime | None = strawberry.field(description="Latest recognised sale.")

    @classmethod
    def build(cls, view: ProductPerformance, product: Product) -> ProductPerformanceType:
        now, before = view.current, view.previous
        return cls(
            product=ProductType.from_row(product),
            revenue=money(now.revenue_cents),
            units_sold=now.units,
            order_count=now.orders,
            average_price=money(average(now.revenue_cents, now.units)),
            profit=money(now.profit_cents),
            profit_margin=now.profit_margin,
            growth_rate=growth(now.revenue_cents, before.revenue_cents),
            revenue_change=money(now.revenue_cents - before.revenue_cents),
            units_change=now.units - before.units,
            first_sale_date=view.first_sale,
            last_sale_date=view.last_sale,
        )


@strawberry.type(
    description=f"A category's sales over a period, its subtree included. {ITEM_SALES}"
)
class CategoryInsight:
    category: CategoryType
    revenue: Decimal
    profit: Decimal
    profit_margin: float | None
    units_sold: int
    order_count: int
    percentage: float | None = strawberry.field(
        description="Share of the listed categories' revenue, in %."
    )
    category_id: strawberry.Private[int]

    @strawberry.field(description="Active products in the category's subtree.")
    async def product_count(self, info: Info[Context, None]) -> int:
        return await info.context.loaders.product_count_by_category_id.load(self.category_id)

    @classmethod
    def build(cls, row: CategorySales) -> CategoryInsight:
        totals: ItemTotals = row.totals
        return cls(
            category=CategoryType.from_row(row.category),
            revenue=money(totals.revenue_cents),
            profit=money(totals.profit_cents),
            profit_margin=totals.profit_margin,
            units_sold=totals.units,
            order_count=totals.orders,
            percentage=row.share,
            category_id=row.category.id,
        )


@strawberry.type(description=f"One category over a period. {ITEM_SALES}")
class CategoryPerformance:
    category: CategoryType
    revenue: Decimal
    profit: Decimal
    profit_margin: float | None
    units_sold: int
    order_count: int
    product_count: int
    top_products: list[ProductInsight]
