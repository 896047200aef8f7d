"""The catalog in figures: counts, prices and stock of the products a filter selects, and
the categories they fall in."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.catalog.repository import ProductCriteria, product_clauses
from shopx.db.models import Category, Product


@dataclass(frozen=True, slots=True)
class StockFigures:
    """Products, prices and stock of a set of products. Prices are selling prices."""

    products: int
    min_price_cents: int | None
    """None without products."""
    max_price_cents: int | None
    price_total_cents: int
    stock_units: int
    """Units in stock, all products together."""
    out_of_stock: int
    """Products with no stock."""
    low_stock: int
    """Products at or below their reorder level (out of stock included)."""

    @property
    def average_price_cents(self) -> Fraction | None:
        """Mean selling price; None without products."""
        return Fraction(self.price_total_cents, self.products) if self.products else None


@dataclass(frozen=True, slots=True)
class CategoryFigures:
    category_id: int
    name: str
    parent_id: int | None
    figures: StockFigures
    """Of the products filed directly under this category."""


@dataclass(frozen=True, slots=True)
class CatalogFigures:
    overall: StockFigures
    by_category: list[CategoryFigures]
    """Categories holding at least one of the products, by name."""


def _measures() -> tuple:
    price = Product.selling_price_cents
    stock = Product.stock_quantity
    return (
        func.count(),
        func.min(price),
        func.max(price),
        func.coalesce(func.sum(price), 0),
        func.coalesce(func.sum(stock), 0),
        func.count().filter(stock <= 0),
        func.count().filter(stock <= Product.reorder_level),
    )


def _figures(row: tuple) -> StockFigures:
    count, low, high, total, units, out, reorder = row
    return StockFigures(
        int(count),
        None if low is None else int(low),
        None if high is None else int(high),
        int(total),
        int(units),
        int(out),
        int(reorder),
    )


async def catalog_figures(session: AsyncSession, where: ProductCriteria) -> CatalogFigures:
    """Figures of the products ``where`` selects, overall and per category."""
    clauses = product_clauses(where)
    overall = (await session.execute(select(*_measures()).where(*clauses))).one()
    per_category = (
        select(Category.id, Category.name, Category.parent_id, *_measures())
        .join(Product, Product.category_id == Category.id)
        .where(*clauses)
        .group_by(Category.id, Category.name, Category.parent_id)
        .order_by(Category.name, Category.id)
    )
    rows = await session.execute(per_category)
    return CatalogFigures(
        _figures(tuple(overall)),
        [CategoryFigures(row[0], row[1], row[2], _figures(tuple(row[3:]))) for row in rows],
    )


@dataclass(frozen=True, slots=True)
class CategoryCount:
    category_id: int
    name: str
    parent_id: int | None
    products: int
    """Products filed directly under the category (of those the filter selects)."""


async def category_counts(session: AsyncSession, where: ProductCriteria) -> list[CategoryCount]:
    """Every category with its number of products ``where`` selects (zero included), by
    name."""
    counted = (
        select(Product.category_id, func.count().label("products"))
        .where(*product_clauses(where))
        .group_by(Product.category_id)
        .subquery()
    )
    query = (
        select(Category.id, Category.name, Category.parent_id, counted.c.products)
        .outerjoin(counted, counted.c.category_id == Category.id)
        .order_by(Category.name, Category.id)
    )
    return [
        CategoryCount(row[0], row[1], row[2], int(row[3] or 0))
        for row in await session.execute(query)
    ]
