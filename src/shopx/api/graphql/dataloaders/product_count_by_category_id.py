"""Active products per category id, a top-level category counting its whole subtree."""

from __future__ import annotations

from typing import TypeAlias

from shopx.analytics.categories import product_counts
from shopx.api.graphql.dataloaders.session_loader import SessionLoader

Key: TypeAlias = int
Result: TypeAlias = int


class ProductCountByCategoryIdLoader(SessionLoader[Key, Result]):
    async def _load(self, keys: list[Key]) -> list[Result]:
        async with self._sessions() as session:
            counts = await product_counts(session, list(set(keys)))
        return [counts[key] for key in keys]
