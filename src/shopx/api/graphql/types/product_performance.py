"""The ``ProductPerformanceType`` type: one product over a period vs the previous one."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics import products
from shopx.analytics.metrics import average, growth, money
from shopx.analytics.periods import Span
from shopx.analytics.products import ProductPerformance
from shopx.analytics.scope import Scope
from shopx.api.graphql.context import Context
from shopx.api.graphql.types.descriptions import ITEM_SALES
from shopx.api.graphql.types.product import ProductType
from shopx.auth import Permission
from shopx.db.models import Product
from shopx.db.rows import get_row


async def product_performance_of(context: Context, key: int, span: Span) -> ProductPerformanceType:
    context.require(Permission.ANALYTICS_READ)
    async with context.read() as session:
        product = await get_row(session, Product, key)
        view = await products.product_performance(session, key, span, Scope.of(context.settings))
    return ProductPerformanceType.build(view, product)


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
