"""The ``Product`` type."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from shopx.analytics.metrics import money
from shopx.analytics.pricing import list_price_margin
from shopx.analytics.products import product_trend
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.arguments import period_span, series_step
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.types.category import CategoryType
from shopx.api.graphql.types.granularity import Granularity
from shopx.api.graphql.types.metric import Metric
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.trend_point import TrendPoint
from shopx.auth import Permission
from shopx.db.models import Product as ProductRow
from shopx.errors import NotFound

if TYPE_CHECKING:
    from shopx.api.graphql.types.product_performance import ProductPerformanceType

# ProductPerformance names its product, so the product reaches it lazily (strawberry.lazy).
LazyProductPerformance = Annotated[
    "ProductPerformanceType", strawberry.lazy("shopx.api.graphql.types.product_performance")
]


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

    @strawberry.field(description=definition(list_price_margin))
    def profit_margin(self) -> float | None:
        return list_price_margin(self.row)

    @strawberry.field(description="This product's sales over a period (as productPerformance).")
    async def performance(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> LazyProductPerformance:
        # A lazy type reference: product_performance imports this module.
        from shopx.api.graphql.types.product_performance import product_performance_of

        span = period_span(info.context, period, date_range)
        return await product_performance_of(info.context, self.row.id, span)

    @strawberry.field(
        description=(
            "This product's item sales per bucket (before order discounts), raw rows; "
            "`compare` adds the previous period's value for the same bucket."
        )
    )
    async def trends(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        metric: Metric = Metric.REVENUE,
        granularity: Granularity | None = None,
        date_range: DateRangeInput | None = None,
        compare: bool = False,
    ) -> list[TrendPoint]:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        span = period_span(context, period, date_range)
        step = series_step(period, date_range, span, granularity)
        async with context.read() as session:
            points = await product_trend(
                session,
                self.row.id,
                span,
                step,
                ReportingRules.of(context.settings),
                metric,
                compare=compare,
            )
        return [TrendPoint.build(point) for point in points]

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
