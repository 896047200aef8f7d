"""Writing categories and products.

Like every write, each function runs in a write transaction
(:func:`shopx.db.writes.write_session`), which queues concurrent writers before the first
statement, so a uniqueness check cannot race another writer and no two writers can deadlock.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Category, Product
from shopx.db.rows import get_row, save_row
from shopx.errors import BadInput
from shopx.rollups.moves import move_category_parent, move_product_category


async def create_category(session: AsyncSession, fields: dict[str, Any]) -> Category:
    row = Category(**fields)
    await _check_parent(session, row, row.parent_id)
    await _check_name_free(session, row.name, row.parent_id, other_than=None)
    return await save_row(session, row)


async def update_category(
    session: AsyncSession, category_id: int, fields: dict[str, Any], *, tz: ZoneInfo
) -> Category:
    row = await get_row(session, Category, category_id)
    parent_id = fields.get("parent_id", row.parent_id)
    if "parent_id" in fields:
        await _check_parent(session, row, parent_id)
    await _check_name_free(session, fields.get("name", row.name), parent_id, other_than=row.id)
    if parent_id != row.parent_id:
        await move_category_parent(session, row.id, row.parent_id, parent_id, tz)
    return await save_row(session, row, fields)


async def _check_parent(session: AsyncSession, row: Category, parent_id: int | None) -> None:
    """The tree has two levels: a parent is top-level and a category with children stays so."""
    if parent_id is None:
        return
    if parent_id == row.id:
        raise BadInput("parentId: a category cannot be its own parent")
    parent = await get_row(session, Category, parent_id, field="parentId")
    if parent.parent_id is not None:
        raise BadInput(
            f"parentId: category {parent_id} is a subcategory; the category tree has two levels"
        )
    if row.id is not None:
        has_children = exists().where(Category.parent_id == row.id)
        if await session.scalar(select(has_children)):
            raise BadInput(
                f"parentId: category {row.id} has subcategories, so it must stay top-level"
            )


async def _check_name_free(
    session: AsyncSession, name: str, parent_id: int | None, *, other_than: int | None
) -> None:
    siblings = (
        Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    )
    query = select(Category.id).where(Category.name == name, siblings)
    if other_than is not None:
        query = query.where(Category.id != other_than)
    if await session.scalar(query.limit(1)) is not None:
        place = "at the top level" if parent_id is None else f"under category {parent_id}"
        raise BadInput(f"name: a category named {name!r} already exists {place}")


async def create_product(session: AsyncSession, fields: dict[str, Any]) -> Product:
    await get_row(session, Category, fields["category_id"], field="categoryId")
    await _check_sku_free(session, fields["sku"], other_than=None)
    return await save_row(session, Product(**fields))


async def update_product(
    session: AsyncSession, product_id: int, fields: dict[str, Any], *, tz: ZoneInfo
) -> Product:
    row = await get_row(session, Product, product_id)
    if "sku" in fields:
        await _check_sku_free(session, fields["sku"], other_than=row.id)
    category_id = fields.get("category_id", row.category_id)
    if category_id != row.category_id:
        await get_row(session, Category, category_id, field="categoryId")
        await move_product_category(session, row.id, row.category_id, category_id, tz)
    return await save_row(session, row, fields)


async def _check_sku_free(session: AsyncSession, sku: str, *, other_than: int | None) -> None:
    """SKUs are unique ignoring case. The database folds both sides, as its unique index on
    ``lower(sku)`` does, so this check and the index agree on every dialect."""
    query = select(Product.id, Product.sku).where(func.lower(Product.sku) == func.lower(sku))
    if other_than is not None:
        query = query.where(Product.id != other_than)
    taken = (await session.execute(query.limit(1))).first()
    if taken is not None:
        product_id, existing = taken
        spelled = "" if existing == sku else f" (as {existing!r})"
        raise BadInput(f"sku: {sku!r} is already used by product {product_id}{spelled}")


async def delete_product(session: AsyncSession, product_id: int) -> Product:
    """Soft delete: the product keeps its history and leaves the catalog."""
    row = await get_row(session, Product, product_id)
    return await save_row(session, row, {"is_active": False})
