"""Queries of the catalog: products, categories, search, low stock."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.arguments import check_limit
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.inputs.product import ProductFilter, ProductSortInput
from shopx.api.graphql.keyset import DEFAULT_FIRST
from shopx.api.graphql.pagination import Connection, paginate
from shopx.api.graphql.types.brand import Brand
from shopx.api.graphql.types.category import CategoryType
from shopx.api.graphql.types.low_stock_product import LowStockProduct
from shopx.api.graphql.types.product import ProductType
from shopx.api.graphql.values import identifier, wanted
from shopx.auth import Permission
from shopx.catalog import repository
from shopx.catalog.stock import low_stock_products
from shopx.db.search import search_words


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="The product with this id, or null.")
    async def product(self, info: Info[Context, None], id: strawberry.ID) -> ProductType | None:
        info.context.require(Permission.ANALYTICS_READ)
        row = await info.context.loaders.product_by_id.load(identifier(id, "id"))
        return ProductType.from_row(row) if row else None

    @strawberry.field(description="The category with this id, or null.")
    async def category(self, info: Info[Context, None], id: strawberry.ID) -> CategoryType | None:
        info.context.require(Permission.ANALYTICS_READ)
        row = await info.context.loaders.category_by_id.load(identifier(id, "id"))
        return CategoryType.from_row(row) if row else None

    @strawberry.field(description=definition(repository.all_categories))
    async def categories(self, info: Info[Context, None]) -> list[CategoryType]:
        info.context.require(Permission.ANALYTICS_READ)
        async with info.context.read() as session:
            rows = await repository.all_categories(session)
        return [CategoryType.from_row(row) for row in rows]

    @strawberry.field(description=definition(repository.brand_counts))
    async def brands(self, info: Info[Context, None]) -> list[Brand]:
        info.context.require(Permission.ANALYTICS_READ)
        async with info.context.read() as session:
            rows = await repository.brand_counts(session)
        return [Brand.build(row) for row in rows]

    @strawberry.field(description="Products, filtered and sorted, a page at a time.")
    async def products(
        self,
        info: Info[Context, None],
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: ProductFilter | None = None,
        sort: ProductSortInput | None = None,
    ) -> Connection[ProductType]:
        info.context.require(Permission.ANALYTICS_READ)
        query = repository.products_matching((filter or ProductFilter()).parsed())
        key = (sort or ProductSortInput()).key()
        return await paginate(
            info.context, query, key, ProductType.from_row, first=first, after=after
        )

    @strawberry.field(description=definition(repository.search_products))
    async def search_products(
        self, info: Info[Context, None], query: str, limit: int = 20
    ) -> list[ProductType]:
        info.context.require(Permission.ANALYTICS_READ)
        text = wanted(query, "query") or ""
        search_words(text, "query")
        async with info.context.read() as session:
            rows = await repository.search_products(session, text, check_limit(limit))
        return [ProductType.from_row(row) for row in rows]

    @strawberry.field(description=definition(low_stock_products))
    async def low_stock_products(
        self, info: Info[Context, None], limit: int = 20
    ) -> list[LowStockProduct]:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        async with context.read() as session:
            rows = await low_stock_products(
                session,
                now=context.now,
                statuses=context.settings.revenue_statuses,
                limit=check_limit(limit),
            )
        return [LowStockProduct.build(row) for row in rows]
