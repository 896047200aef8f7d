"""Queries of product and category analytics: top products, performance, categories."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.analytics import categories, products
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.arguments import check_limit, period_span
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.inputs.product import ProductFilter
from shopx.api.graphql.types.category_insight import CategoryInsight
from shopx.api.graphql.types.category_performance import (
    CategoryPerformance,
    category_performance_of,
)
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.product_insight import ProductInsight, ranked_insights
from shopx.api.graphql.types.product_performance import (
    ProductPerformanceType,
    product_performance_of,
)
from shopx.api.graphql.types.product_sort import ProductSort
from shopx.api.graphql.values import identifier
from shopx.auth import Permission
from shopx.catalog import repository


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
        where = filter.parsed() if filter else repository.ProductCriteria()
        async with context.read() as session:
            rows = await products.top_products(
                session,
                span,
                ReportingRules.of(context.settings),
                sort=sort_by,
                where=where,
                limit=limit,
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
                session, span, ReportingRules.of(context.settings), parent_id=parent
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
