"""Catalog queries: products and categories by id, product lists, search, low stock."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.pagination import (
    DEFAULT_FIRST,
    Connection,
    SortDirection,
    SortKey,
    paginate,
)
from shopx.api.graphql.values import Convert, cents, identifier, wanted
from shopx.auth import Permission
from shopx.catalog import queries
from shopx.catalog.types import CategoryType, LowStockProduct, ProductType
from shopx.db.models import Product
from shopx.errors import BadInput

MAX_LIMIT = 100


@strawberry.input(description="Every field narrows the list. Prices are selling prices, inclusive.")
class ProductFilter:
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="This category and its subcategories."
    )
    brand: str | None = strawberry.field(default=None, description="Exact brand name.")
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = strawberry.field(default=None, description="Stock above zero.")
    is_active: bool | None = None
    search: str | None = strawberry.field(
        default=None, description="Found in the name, sku or brand, any case."
    )

    def parsed(self) -> queries.ProductFilter:
        return queries.ProductFilter(
            category_id=_unless_null(identifier, self.category_id, "categoryId"),
            brand=wanted(self.brand, "brand"),
            min_price_cents=_unless_null(cents, self.min_price, "minPrice"),
            max_price_cents=_unless_null(cents, self.max_price, "maxPrice"),
            in_stock=self.in_stock,
            is_active=self.is_active,
            search=(wanted(self.search, "search") or "").strip() or None,
        )


@strawberry.enum(description="ID is creation order.")
class ProductSortField(Enum):
    NAME = "NAME"
    SKU = "SKU"
    PRICE = "PRICE"
    STOCK = "STOCK"
    ID = "ID"


SORT_COLUMNS = {
    ProductSortField.NAME: Product.name,
    ProductSortField.SKU: Product.sku,
    ProductSortField.PRICE: Product.selling_price_cents,
    ProductSortField.STOCK: Product.stock_quantity,
    ProductSortField.ID: Product.id,
}


@strawberry.input(description="Default: NAME ascending.")
class ProductSortInput:
    field: ProductSortField = ProductSortField.NAME
    direction: SortDirection = SortDirection.ASC

    def key(self) -> SortKey:
        return SortKey.of(self.field, SORT_COLUMNS, self.direction)


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
        query = queries.products_matching((filter or ProductFilter()).parsed())
        key = (sort or ProductSortInput()).key()
        return await paginate(
            info.context, query, key, ProductType.from_row, first=first, after=after
        )

    @strawberry.field(
        description=(
            "Active products whose name, sku or brand contain the text (any case): an exact "
            "sku first, then names starting with the text, then the rest, by name."
        )
    )
    async def search_products(
        self, info: Info[Context, None], query: str, limit: int = 20
    ) -> list[ProductType]:
        info.context.require(Permission.ANALYTICS_READ)
        text = (wanted(query, "query") or "").strip()
        if not text:
            raise BadInput("query must not be empty")
        async with info.context.read() as session:
            rows = await queries.search_products(session, text, _limit(limit))
        return [ProductType.from_row(row) for row in rows]

    @strawberry.field(
        description=(
            "Active products at or below their reorder level, soonest to run out first "
            "(those that sold nothing in the last 30 days last), then by stock."
        )
    )
    async def low_stock_products(
        self, info: Info[Context, None], limit: int = 20
    ) -> list[LowStockProduct]:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        async with context.read() as session:
            rows = await queries.low_stock(
                session,
                now=context.now,
                statuses=context.settings.revenue_statuses,
                limit=_limit(limit),
            )
        days = queries.LOW_STOCK_WINDOW_DAYS
        return [LowStockProduct.build(row, units, days) for row, units in rows]


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    return limit


def _unless_null(convert: Convert, value: Any, label: str) -> Any:
    return None if value is None else convert(value, label)
