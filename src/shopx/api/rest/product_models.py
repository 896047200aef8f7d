"""JSON shapes of the product catalog routes (snake_case keys, money as exact decimal
strings with two places, ids as strings)."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from shopx.analytics.metrics import money
from shopx.catalog.repository import BrandCount
from shopx.catalog.summary import CatalogFigures, CategoryCount, CategoryFigures, StockFigures
from shopx.db.models import Product

PRODUCT_EXAMPLE = {
    "id": "42",
    "sku": "SKU-000042",
    "name": "Acme Compact Kettle",
    "brand": "Acme",
    "description": "Compact kettle by Acme, in Kitchen.",
    "category_id": "7",
    "cost_price": "12.40",
    "selling_price": "24.99",
    "stock_quantity": 130,
    "reorder_level": 10,
    "in_stock": True,
    "is_active": True,
    "created_at": "2026-01-05T09:30:00+00:00",
    "updated_at": "2026-11-20T15:30:00+00:00",
}


def _price(cents: int | Fraction | None) -> str | None:
    return None if cents is None else str(money(cents))


class ProductOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": PRODUCT_EXAMPLE})

    id: str
    sku: str
    name: str
    brand: str | None
    description: str | None
    category_id: str
    cost_price: str = Field(description="Exact decimal, two places.")
    selling_price: str = Field(description="Exact decimal, two places.")
    stock_quantity: int
    reorder_level: int
    in_stock: bool = Field(description="Stock above zero.")
    is_active: bool = Field(description="False once deleted (soft delete).")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Product) -> ProductOut:
        return cls(
            id=str(row.id),
            sku=row.sku,
            name=row.name,
            brand=row.brand,
            description=row.description,
            category_id=str(row.category_id),
            cost_price=str(money(row.cost_price_cents)),
            selling_price=str(money(row.selling_price_cents)),
            stock_quantity=row.stock_quantity,
            reorder_level=row.reorder_level,
            in_stock=row.stock_quantity > 0,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


class ProductPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "items": [PRODUCT_EXAMPLE],
                "total": 1204,
                "limit": 20,
                "offset": 0,
                "next_offset": 20,
                "next_cursor": "WyJuYW1lIiwiQWNtZSBDb21wYWN0IEtldHRsZSIsNDJd",
            }
        }
    )

    items: list[ProductOut]
    total: int = Field(description="Products matching the filters, all pages together.")
    limit: int
    offset: int | None = Field(description="This page's offset; null when paged by cursor.")
    next_offset: int | None = Field(
        description="The next page's offset; null at the end or past the offset bound."
    )
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page (any depth); null at the end, and "
        "when ranked by relevance (those pages go by offset)."
    )


class Figures(BaseModel):
    products: int
    min_price: str | None = Field(description="Lowest selling price; null without products.")
    max_price: str | None
    average_price: str | None = Field(description="Mean selling price, rounded to the cent.")
    stock_units: int = Field(description="Units in stock, all products together.")
    out_of_stock: int = Field(description="Products with no stock.")
    low_stock: int = Field(description="Products at or below their reorder level.")

    @classmethod
    def of(cls, figures: StockFigures) -> Figures:
        return cls(
            products=figures.products,
            min_price=_price(figures.min_price_cents),
            max_price=_price(figures.max_price_cents),
            average_price=_price(figures.average_price_cents),
            stock_units=figures.stock_units,
            out_of_stock=figures.out_of_stock,
            low_stock=figures.low_stock,
        )


def _category(row: CategoryFigures | CategoryCount) -> dict[str, str | None]:
    parent = None if row.parent_id is None else str(row.parent_id)
    return {"category_id": str(row.category_id), "name": row.name, "parent_id": parent}


class CategoryStats(Figures):
    category_id: str
    name: str
    parent_id: str | None

    @classmethod
    def of_category(cls, row: CategoryFigures) -> CategoryStats:
        return cls(**_category(row), **Figures.of(row.figures).model_dump())


FIGURES_EXAMPLE = {
    "products": 1204,
    "min_price": "1.99",
    "max_price": "899.00",
    "average_price": "74.52",
    "stock_units": 88211,
    "out_of_stock": 31,
    "low_stock": 97,
}


class CatalogStats(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                **FIGURES_EXAMPLE,
                "by_category": [
                    {"category_id": "7", "name": "Kettles", "parent_id": "2", **FIGURES_EXAMPLE}
                ],
            }
        }
    )

    products: int
    min_price: str | None
    max_price: str | None
    average_price: str | None
    stock_units: int
    out_of_stock: int
    low_stock: int
    by_category: list[CategoryStats] = Field(
        description="Per category the products are filed under directly, by name."
    )

    @classmethod
    def of(cls, figures: CatalogFigures) -> CatalogStats:
        return cls(
            **Figures.of(figures.overall).model_dump(),
            by_category=[CategoryStats.of_category(row) for row in figures.by_category],
        )


class CategoryCountOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"category_id": "7", "name": "Kettles", "parent_id": "2", "products": 41}
        }
    )

    category_id: str
    name: str
    parent_id: str | None
    products: int = Field(description="Matching products filed directly under it.")

    @classmethod
    def of(cls, row: CategoryCount) -> CategoryCountOut:
        return cls(**_category(row), products=row.products)


class BrandCountOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"name": "Acme", "products": 12}})

    name: str
    products: int = Field(description="Matching products of this brand.")

    @classmethod
    def of(cls, row: BrandCount) -> BrandCountOut:
        return cls(name=row.name, products=row.products)


class CategoryList(BaseModel):
    items: list[CategoryCountOut]


class BrandList(BaseModel):
    items: list[BrandCountOut]
