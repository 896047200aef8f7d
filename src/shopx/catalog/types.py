"""GraphQL types of the catalog: categories, products and low-stock alerts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from shopx.analytics.buckets import Granularity
from shopx.analytics.metrics import money, percentage
from shopx.analytics.periods import Period
from shopx.analytics.scope import Scope
from shopx.analytics.trends import Metric
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs import DateRangeInput, period_span, series_step
from shopx.auth import Permission
from shopx.db.models import Category as CategoryRow
from shopx.db.models import Product as ProductRow
from shopx.errors import NotFound

if TYPE_CHECKING:
    from shopx.analytics.product_types import CategoryPerformance, ProductPerformanceType
    from shopx.analytics.types import TrendPoint

# The analytics types name products and categories, so these reach them lazily.
LazyProductPerformance = Annotated[
    "ProductPerformanceType", strawberry.lazy("shopx.analytics.product_types")
]
LazyCategoryPerformance = Annotated[
    "CategoryPerformance", strawberry.lazy("shopx.analytics.product_types")
]
LazyTrendPoint = Annotated["TrendPoint", strawberry.lazy("shopx.analytics.types")]


@strawberry.type(name="Category", description="A node of the two-level category tree.")
class CategoryType:
    id: strawberry.ID
    name: str
    parent_id: strawberry.ID | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[CategoryRow]

    @strawberry.field(description="This category's sales over a period, subtree included.")
    async def performance(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> LazyCategoryPerformance:
        from shopx.analytics.product_graphql import category_performance_of  # imports this module

        span = period_span(info.context, period, date_range)
        return await category_performance_of(info.context, self.row.id, span)

    @strawberry.field(description="The parent category; null for a top-level category.")
    async def parent(self, info: Info[Context, None]) -> CategoryType | None:
        if self.row.parent_id is None:
            return None
        row = await info.context.loaders.category_by_id.load(self.row.parent_id)
        return CategoryType.from_row(row) if row else None

    @strawberry.field(description="The direct subcategories, by name.")
    async def children(self, info: Info[Context, None]) -> list[CategoryType]:
        rows = await info.context.loaders.categories_by_parent_id.load(self.row.id)
        return [CategoryType.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: CategoryRow) -> CategoryType:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            parent_id=strawberry.ID(str(row.parent_id)) if row.parent_id else None,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
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

    @strawberry.field(description="This product's sales over a period (as productPerformance).")
    async def performance(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> LazyProductPerformance:
        from shopx.analytics.product_graphql import product_performance_of  # imports this module

        span = period_span(info.context, period, date_range)
        return await product_performance_of(info.context, self.row.id, span)

    @strawberry.field(
        description="This product's item sales per bucket (before order discounts), raw rows."
    )
    async def trends(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        metric: Metric = Metric.REVENUE,
        granularity: Granularity | None = None,
        date_range: DateRangeInput | None = None,
    ) -> list[LazyTrendPoint]:
        from shopx.analytics.products import product_series  # imports this module's neighbours
        from shopx.analytics.types import trend_points

        context = info.context
        context.require(Permission.ANALYTICS_READ)
        span = period_span(context, period, date_range)
        step = series_step(period, date_range, span, granularity)
        async with context.read() as session:
            points = await product_series(
                session, self.row.id, span, step, Scope.of(context.settings)
            )
        return trend_points(points, [], metric)

    @strawberry.field
    async def category(self, info: Info[Context, None]) -> CategoryType:
        row = await info.context.loaders.category_by_id.load(self.row.category_id)
        if row is None:
            raise NotFound(f"category {self.row.category_id} of product {self.row.id} not found")
        return CategoryType.from_row(row)

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


@strawberry.type(
    description=(
        "An active product at or below its reorder level. The sales rate counts units of "
        "recognised orders (COMPLETED by default) over the last 30 days."
    )
)
class LowStockProduct:
    product: ProductType
    stock_quantity: int
    reorder_level: int
    units_sold_last_30_days: int
    daily_sales_rate: float = strawberry.field(description="Units sold per day, last 30 days.")
    days_of_stock_left: float | None = strawberry.field(
        description="Stock / daily sales rate; null when nothing sold in the last 30 days."
    )

    @classmethod
    def build(cls, row: ProductRow, units_sold: int, window_days: int) -> LowStockProduct:
        rate = Fraction(units_sold, window_days)
        return cls(
            product=ProductType.from_row(row),
            stock_quantity=row.stock_quantity,
            reorder_level=row.reorder_level,
            units_sold_last_30_days=units_sold,
            daily_sales_rate=round(float(rate), 4),
            days_of_stock_left=round(float(row.stock_quantity / rate), 2) if rate else None,
        )
