"""The child categories of each category, by name."""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy import select

from shopx.api.graphql.dataloaders.key_order import all_per_key
from shopx.api.graphql.dataloaders.session_loader import SessionLoader
from shopx.db.models import Category

Key: TypeAlias = int
Result: TypeAlias = list[Category]


class CategoriesByParentIdLoader(SessionLoader[Key, Result]):
    async def _load(self, keys: list[Key]) -> list[Result]:
        query = (
            select(Category)
            .where(Category.parent_id.in_(set(keys)))
            .order_by(Category.name, Category.id)
        )
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()
        return all_per_key(keys, rows, lambda row: row.parent_id)
