"""Mutation inputs of the catalog and how their fields become columns."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import money
from shopx.api.graphql.values import Field, as_is, cents, count, identifier, text
from shopx.bounds import MAX_CENTS, MAX_STOCK

CATEGORY_FIELDS = (
    Field("name", "name", text(120)),
    Field("parent_id", "parent_id", identifier, nullable=True),
)

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
        "A category; parentId must name a top-level category. The name is stored in Unicode "
        "NFC and may not hold control characters."
    )
)
class CreateCategoryInput:
    name: str
    parent_id: strawberry.ID | None = None


@strawberry.input(description="Fields left out stay as they are; parentId null makes it top-level.")
class UpdateCategoryInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    parent_id: strawberry.ID | None = strawberry.UNSET


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
