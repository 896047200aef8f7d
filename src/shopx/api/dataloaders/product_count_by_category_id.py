"""Active products per category id, a top-level category counting its whole subtree."""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from shopx.analytics.categories import product_counts

Key: TypeAlias = int
Result: TypeAlias = int


class ProductCountByCategoryIdLoader(DataLoader[Key, Result]):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(load_fn=self._load)
        self._sessions = sessions

    async def _load(self, keys: list[Key]) -> list[Result]:
        async with self._sessions() as session:
            counts = await product_counts(session, list(set(keys)))
        return [counts[key] for key in keys]
