"""Product and category queries."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics import categories, products
from shopx.analytics.items import category_sales
from shopx.analytics.metrics import ItemTotals, money
from shopx.analytics.periods import Period, Span
from shopx.analytics.product_types import (
    CategoryInsight,
    CategoryPerformance,
    ProductInsight,
    ProductPerformanceType,
)
from shopx.analytics.products import ProductSort
from shopx.analytics.scope import Scope
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs import DateRangeInput, check_limit, period_span
from shopx.api.graphql.values import identifier
from shopx.auth import Permission
from shopx.catalog import queries
from shopx.catalog.graphql import ProductFilter
from shopx.catalog.types import CategoryType
from shopx.db.models import Category, Product
from shopx.db.rows import get_row

strawberry.enum(ProductSort, name="ProductSort")


async def ranked_insights(
    context: Context, rows: list[products.ProductSales]
) -> list[ProductInsight]:
    """The rows with their products, loaded once the caller has closed its session."""
    found = await context.loaders.product_by_id.load_many([row.product_id for row in rows])
    return [ProductInsight.build(row, product) for row, product in zip(rows, found, strict=True)]


async def product_performance_of(context: Context, key: int, span: Span) -> ProductPerformanceType:
    context.require(Permission.ANALYTICS_READ)
    async with context.read() as session:
        product = await get_row(session, Product, key)
        view = await products.product_performance(session, key, span, Scope.of(context.settings))
    return ProductPerformanceType.build(view, product)


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


@strawberry.type
class ProductAnalyticsQuery:
    @strawberry.field(description="Best (or worst) products of a period; limit at most 100.")
    async def top_products(
        self,
        info: Info[Context, None],
        limit: int = 10,
        sort_by: ProductSort = ProductSort.REVENUE_DESC,
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
        filter: ProductFilter | None = None,
    ) -> list[ProductInsight]:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        check_limit(limit)
        span = period_span(context, period, date_range)
        where = filter.parsed() if filter else queries.ProductFilter()
        async with context.read() as session:
            rows = await products.top_products(
                session, span, Scope.of(context.settings), sort=sort_by, where=where, limit=limit
            )
        return await ranked_insights(context, rows)

    @strawberry.field(description="One product's sales over a period, against the previous one.")
    async def product_performance(
        self,
        info: Info[Context, None],
        product_id: strawberry.ID,
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> ProductPerformanceType:
        context = info.context
        span = period_span(context, period, date_range)
        return await product_performance_of(context, identifier(product_id, "productId"), span)

    @strawberry.field(
        description="Sales per category: top-level categories, or the children of parentId."
    )
    async def category_breakdown(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
        parent_id: strawberry.ID | None = None,
    ) -> list[CategoryInsight]:
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        span = period_span(context, period, date_range)
        parent = identifier(parent_id, "parentId") if parent_id else None
        async with context.read() as session:
            rows = await categories.category_breakdown(
                session, span, Scope.of(context.settings), parent_id=parent
            )
        return [CategoryInsight.build(row) for row in rows]

    @strawberry.field(description="One category (its subtree included) over a period.")
    async def category_performance(
        self,
        info: Info[Context, None],
        category_id: strawberry.ID,
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
        top_products_limit: int = 5,
    ) -> CategoryPerformance:
        context = info.context
        check_limit(top_products_limit, "topProductsLimit")
        span = period_span(context, period, date_range)
        key = identifier(category_id, "categoryId")
        return await category_performance_of(context, key, span, top_products_limit)
