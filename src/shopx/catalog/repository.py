"""SQL for reading the catalog: filtered product lists, categories, brands, product search,
low stock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, and_, case, cast, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Category, Order, OrderItem, Product, item_order_join, placed_between
from shopx.db.search import text_match, text_rank

LOW_STOCK_WINDOW_DAYS = 30
LOW_ON_STOCK: ColumnElement[bool] = and_(
    Product.is_active, Product.stock_quantity <= Product.reorder_level
)
"""An active product at or below its reorder level: what a low-stock alert is about."""


@dataclass(frozen=True, slots=True)
class ProductCriteria:
    """Every field narrows the list; None leaves it alone. Prices are inclusive, in cents."""

    category_id: int | None = None
    brand: str | None = None
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    in_stock: bool | None = None
    is_active: bool | None = None
    words: str | None = None
    """Full-text: every word starts a word of the name, sku, brand or description, any
    case and accents (:mod:`shopx.db.search`)."""


def category_and_children(category_id: int) -> Select[tuple[int]]:
    """The ids of a category and of its subcategories (the tree has two levels)."""
    return select(Category.id).where(
        or_(Category.id == category_id, Category.parent_id == category_id)
    )


def product_clauses(where: ProductCriteria) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a product filter (an empty filter gives none)."""
    clauses: list[ColumnElement[bool]] = []
    if where.category_id is not None:
        clauses.append(Product.category_id.in_(category_and_children(where.category_id)))
    if where.brand is not None:
        clauses.append(Product.brand == where.brand)
    if where.min_price_cents is not None:
        clauses.append(Product.selling_price_cents >= where.min_price_cents)
    if where.max_price_cents is not None:
        clauses.append(Product.selling_price_cents <= where.max_price_cents)
    if where.in_stock is not None:
        in_stock = Product.stock_quantity > 0
        clauses.append(in_stock if where.in_stock else ~in_stock)
    if where.is_active is not None:
        clauses.append(Product.is_active.is_(where.is_active))
    if where.words is not None:
        clauses.append(text_match(where.words))
    return clauses


async def all_categories(session: AsyncSession) -> Sequence[Category]:
    """Every category of the tree, both levels, by name."""
    return (await session.scalars(select(Category).order_by(Category.name, Category.id))).all()


@dataclass(frozen=True, slots=True)
class BrandCount:
    name: str
    products: int
    """Products of this brand, active or not."""


async def brand_counts(
    session: AsyncSession, where: ProductCriteria = ProductCriteria()
) -> list[BrandCount]:
    """Every brand named by a product, by name, with its number of products."""
    # The docstring is GraphQL's description: there every product counts, active or not;
    # the REST catalog narrows the products counted with ``where``.
    query = (
        select(Product.brand, func.count())
        .where(Product.brand.is_not(None), *product_clauses(where))
        .group_by(Product.brand)
        .order_by(Product.brand)
    )
    return [BrandCount(name, count) for name, count in await session.execute(query)]


def products_matching(where: ProductCriteria) -> Select[tuple[Product]]:
    return select(Product).where(*product_clauses(where))


def by_relevance(text: str) -> list[ColumnElement[Any]]:
    """The order of a search's results: best match first (the product whose SKU is the
    whole text before all), ties by id."""
    return [text_rank(text).desc(), Product.id.asc()]


async def search_products(session: AsyncSession, text: str, limit: int) -> Sequence[Product]:
    """Active products in which every word of the search starts a word of the name, sku,
    brand or description, any case and accents ("wire" finds "Wireless"), as the REST
    catalog's search: the product whose sku is the whole search first, then by relevance.
    """
    where = ProductCriteria(is_active=True, words=text)
    query = products_matching(where).order_by(*by_relevance(text)).limit(limit)
    return (await session.scalars(query)).all()


async def low_stock(
    session: AsyncSession, *, now: datetime, statuses: Sequence[str], limit: int | None
) -> list[tuple[Product, int]]:
    """Active products at or below their reorder level, with the units sold in the window,
    most urgent first (see :func:`shopx.catalog.stock.low_stock_products`); all of them when
    ``limit`` is None.

    Days of stock left (stock x window / units) order as stock / units, so the window drops
    out; a product out of stock has none left whatever it sold, one that sold nothing and
    still has stock comes last. Sales rate descending is units descending.
    """
    since = now - timedelta(days=LOW_STOCK_WINDOW_DAYS)
    sold = (
        select(OrderItem.product_id, func.sum(OrderItem.quantity).label("units"))
        .join(Order, item_order_join())
        .where(
            *placed_between(since, now),
            OrderItem.product_id.in_(select(Product.id).where(LOW_ON_STOCK)),
            Order.status.in_(statuses),
        )
        .group_by(OrderItem.product_id)
        .subquery()
    )
    units = func.coalesce(sold.c.units, 0)
    days_left = case(
        (Product.stock_quantity <= 0, literal(0.0, Float)),
        (units > 0, cast(Product.stock_quantity, Float) / units),
    )
    query = (
        select(Product, units)
        .outerjoin(sold, sold.c.product_id == Product.id)
        .where(LOW_ON_STOCK)
        .order_by(days_left.asc().nulls_last(), units.desc(), Product.id)
        .limit(limit)
    )
    return [(product, int(sold_units)) for product, sold_units in await session.execute(query)]
