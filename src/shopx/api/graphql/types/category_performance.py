"""The ``CategoryPerformance`` type: one category over a period, with its best products."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics import categories, products
from shopx.analytics.items import category_sales
from shopx.analytics.metrics import ItemTotals, money
from shopx.analytics.periods import Span
from shopx.analytics.scope import Scope
from shopx.api.graphql.context import Context
from shopx.api.graphql.types.category import CategoryType
from shopx.api.graphql.types.descriptions import ITEM_SALES
from shopx.api.graphql.types.product_insight import ProductInsight, ranked_insights
from shopx.auth import Permission
from shopx.catalog import queries
from shopx.db.models import Category
from shopx.db.rows import get_row


async def category_performance_of(
    context: Context, key: int, span: Span, limit: int = 5
) -> CategoryPerformance:
    context.require(Permission.ANALYTICS_READ)
    scope = Scope.of(context.settings)
    async with context.read() as session:
        category = await get_row(session, Category, key)
        sales = (await category_sales(session, span, scope)).get(key, ItemTotals())
        count = (await categories.product_counts(session, [key]))[key]
        best = await products.top_products(
            session,
            span,
            scope,
            where=queries.ProductFilter(category_id=key),
            limit=limit,
        )
    top = await ranked_insights(context, best)
    return CategoryPerformance(
        category=CategoryType.from_row(category),
        revenue=money(sales.revenue_cents),
        profit=money(sales.profit_cents),
        profit_margin=sales.profit_margin,
        units_sold=sales.units,
        order_count=sales.orders,
        product_count=count,
        top_products=top,
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
