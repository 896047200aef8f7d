"""Products by id; None for an unknown id."""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy import select

from shopx.api.graphql.dataloaders.key_order import one_per_key
from shopx.api.graphql.dataloaders.session_loader import SessionLoader
from shopx.db.models import Product

Key: TypeAlias = int
Result: TypeAlias = Product | None


class ProductByIdLoader(SessionLoader[Key, Result]):
    async def _load(self, keys: list[Key]) -> list[Result]:
        query = select(Product).where(Product.id.in_(set(keys)))
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()
        return one_per_key(keys, rows, lambda row: row.id)
