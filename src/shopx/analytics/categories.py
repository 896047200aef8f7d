"""Category breakdowns (item sales per category at one level of the tree) and one
category's performance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.items import category_sales
from shopx.analytics.metrics import ItemTotals, percentage
from shopx.analytics.periods import Span
from shopx.analytics.products import ProductSales, top_products
from shopx.analytics.reporting import ReportingRules
from shopx.catalog.repository import ProductCriteria
from shopx.db.models import Category, Product
from shopx.db.rows import get_row


@dataclass(frozen=True, slots=True)
class CategorySales:
    """A category's sales over a period, its subtree included."""

    category: Category
    totals: ItemTotals
    listed_item_sales_cents: int
    """The item sales of all the categories listed with this one."""

    @property
    def share(self) -> float | None:
        """This category's share of the item sales of all the categories listed with it,
        in %; null when none of them sold."""
        return percentage(self.totals.item_sales_cents, self.listed_item_sales_cents)


async def product_counts(session: AsyncSession, category_ids: list[int]) -> dict[int, int]:
    """Active products per category, a top-level category counting its whole subtree."""
    counts: dict[int, int] = dict.fromkeys(category_ids, 0)
    rows = await session.execute(
        select(Product.category_id, Category.parent_id, func.count())
        .join(Category, Category.id == Product.category_id)
        .where(
            Product.is_active,
            or_(Product.category_id.in_(category_ids), Category.parent_id.in_(category_ids)),
        )
        .group_by(Product.category_id, Category.parent_id)
    )
    for category_id, parent_id, count in rows:
        for key in (category_id, parent_id):
            if key in counts:
                counts[key] += int(count)
    return counts


async def category_breakdown(
    session: AsyncSession, span: Span, rules: ReportingRules, *, parent_id: int | None = None
) -> list[CategorySales]:
    """The children of ``parent_id`` (top-level categories when none), by item sales."""
    level = (
        Category.parent_id == parent_id if parent_id is not None else Category.parent_id.is_(None)
    )
    categories = list(
        (await session.execute(select(Category).where(level, Category.is_active))).scalars()
    )
    sales = await category_sales(session, span, rules)
    total = sum(sales.get(category.id, ItemTotals()).item_sales_cents for category in categories)
    result = []
    for category in categories:
        result.append(CategorySales(category, sales.get(category.id, ItemTotals()), total))
    result.sort(key=lambda row: (-row.totals.item_sales_cents, row.category.name))
    return result


@dataclass(frozen=True, slots=True)
class CategoryPerformance:
    """One category over a period, its subtree included."""

    category: Category
    totals: ItemTotals
    product_count: int
    """Active products in the category's subtree."""
    top_products: list[ProductSales]
    """The category's best products by item sales."""


async def category_performance(
    session: AsyncSession, category_id: int, span: Span, rules: ReportingRules, *, limit: int = 5
) -> CategoryPerformance:
    """The category's item sales, active product count and ``limit`` best products."""
    category = await get_row(session, Category, category_id)
    sales = (await category_sales(session, span, rules)).get(category_id, ItemTotals())
    count = (await product_counts(session, [category_id]))[category_id]
    best = await top_products(
        session, span, rules, where=ProductCriteria(category_id=category_id), limit=limit
    )
    return CategoryPerformance(category, sales, count, best)
