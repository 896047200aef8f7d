"""Inputs of the product list (filter, sort) and of the product mutations."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry

from shopx.analytics.metrics import money
from shopx.api.graphql.keyset import SortKey
from shopx.api.graphql.types.sort_direction import SortDirection
from shopx.api.graphql.values import (
    Field,
    as_is,
    cents,
    count,
    identifier,
    text,
    unless_null,
    wanted,
)
from shopx.bounds import MAX_CENTS, MAX_STOCK
from shopx.catalog import repository
from shopx.db.models import Product
from shopx.db.search import search_words


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
        default=None,
        description=(
            "Full-text, as the REST catalog's `search`: every word starts a word of the name, "
            "sku, brand or description, any case and accents. Blank: no filter."
        ),
    )

    def parsed(self) -> repository.ProductCriteria:
        return repository.ProductCriteria(
            category_id=unless_null(identifier, self.category_id, "categoryId"),
            brand=wanted(self.brand, "brand"),
            min_price_cents=unless_null(cents, self.min_price, "minPrice"),
            max_price_cents=unless_null(cents, self.max_price, "maxPrice"),
            in_stock=self.in_stock,
            is_active=self.is_active,
            words=_search(self.search),
        )


def _search(value: str | None) -> str | None:
    """The search text, clean (:func:`wanted`) and with words to search for; blank or null
    is no search."""
    text = wanted(value, "search")
    if text is None or not text.strip():
        return None
    search_words(text)
    return text


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


PRODUCT_FIELDS = (
    Field("name", "name", text(200)),
    Field("sku", "sku", text(64)),
    Field("category_id", "category_id", identifier),
    Field("cost_price", "cost_price_cents", cents),
    Field("selling_price", "selling_price_cents", cents),
    Field("brand", "brand", text(120, blank=True), nullable=True),
    Field("description", "description", text(10_000, blank=True, lines=True), nullable=True),
    Field("stock_quantity", "stock_quantity", count),
    Field("reorder_level", "reorder_level", count),
    Field("is_active", "is_active", as_is),
)


@strawberry.input(
    description=(
        f"Prices are exact decimals with at most two places, from 0 to {money(MAX_CENTS)}; "
        f"stock and reorder level from 0 to {MAX_STOCK}. Text is stored in Unicode NFC and "
        "may not hold control characters (a description may hold tabs and line breaks)."
    )
)
class CreateProductInput:
    name: str
    sku: str = strawberry.field(description="Unique across all products, ignoring case.")
    category_id: strawberry.ID
    cost_price: Decimal
    selling_price: Decimal
    brand: str | None = None
    description: str | None = None
    stock_quantity: int = 0
    reorder_level: int = 10


@strawberry.input(
    description=(
        "Fields left out stay as they are. A new category moves the product's sales history "
        "with it (an order's category is its product's current category)."
    )
)
class UpdateProductInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    sku: str | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    cost_price: Decimal | None = strawberry.UNSET
    selling_price: Decimal | None = strawberry.UNSET
    brand: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    stock_quantity: int | None = strawberry.UNSET
    reorder_level: int | None = strawberry.UNSET
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="true restores a deleted product."
    )


@strawberry.input(description="Soft delete: the product stays in history, inactive.")
class DeleteProductInput:
    id: strawberry.ID
