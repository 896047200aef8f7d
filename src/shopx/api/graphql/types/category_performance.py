"""The ``CategoryPerformance`` type: one category over a period, with its best products."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics import categories
from shopx.analytics.metrics import ItemTotals
from shopx.analytics.periods import Span
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.category import CategoryType
from shopx.api.graphql.types.item_sales import item_sales_fields
from shopx.api.graphql.types.product_insight import ProductInsight, ranked_insights
from shopx.auth import Permission


async def category_performance_of(
    context: Context, key: int, span: Span, limit: int = 5
) -> CategoryPerformance:
    context.require(Permission.ANALYTICS_READ)
    async with context.read() as session:
        view = await categories.category_performance(
            session, key, span, ReportingRules.of(context.settings), limit=limit
        )
    totals = view.totals
    return CategoryPerformance(
        category=CategoryType.from_row(view.category),
        **item_sales_fields(totals),
        product_count=view.product_count,
        top_products=await ranked_insights(context, view.top_products),
    )


@strawberry.type(
    description=f"{definition(categories.CategoryPerformance)} {definition(ItemTotals)}"
)
class CategoryPerformance:
    category: CategoryType
    revenue: Decimal
    profit: Decimal
    profit_margin: float | None
    units_sold: int
    order_count: int
    product_count: int
    top_products: list[ProductInsight]
