"""The ``ProductPerformanceType`` type: one product over a period vs the previous one."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics import products
from shopx.analytics.metrics import ItemTotals, money
from shopx.analytics.periods import Span
from shopx.analytics.products import ProductPerformance
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.item_sales import item_sales_fields
from shopx.api.graphql.types.product import ProductType
from shopx.auth import Permission
from shopx.db.models import Product
from shopx.errors import NotFound


async def product_performance_of(context: Context, key: int, span: Span) -> ProductPerformanceType:
    context.require(Permission.ANALYTICS_READ)
    product = await context.loaders.product_by_id.load(key)
    if product is None:
        raise NotFound(f"product {key} not found")
    async with context.read() as session:
        view = await products.product_performance(
            session, key, span, ReportingRules.of(context.settings)
        )
    return ProductPerformanceType.build(view, product)


@strawberry.type(
    description=f"{definition(ProductPerformance)} {definition(ItemTotals)}",
)
class ProductPerformanceType:
    product: ProductType
    revenue: Decimal
    units_sold: int
    order_count: int
    average_price: Decimal = strawberry.field(
        description=definition(ProductPerformance.average_price_cents)
    )
    profit: Decimal
    profit_margin: float | None
    growth_rate: float | None = strawberry.field(
        description=definition(ProductPerformance.growth_rate)
    )
    revenue_change: Decimal = strawberry.field(
        description=definition(ProductPerformance.item_sales_change_cents)
    )
    units_change: int = strawberry.field(description=definition(ProductPerformance.units_change))
    first_sale_date: datetime | None = strawberry.field(
        description=definition(ProductPerformance, "first_sale")
    )
    last_sale_date: datetime | None = strawberry.field(
        description=definition(ProductPerformance, "last_sale")
    )

    @classmethod
    def build(cls, view: ProductPerformance, product: Product) -> ProductPerformanceType:
        now = view.current
        return cls(
            product=ProductType.from_row(product),
            **item_sales_fields(now),
            average_price=money(view.average_price_cents),
            growth_rate=view.growth_rate,
            revenue_change=money(view.item_sales_change_cents),
            units_change=view.units_change,
            first_sale_date=view.first_sale,
            last_sale_date=view.last_sale,
        )
