"""Sales representatives by id; None for an unknown id."""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from shopx.api.dataloaders.key_order import one_per_key
from shopx.db.models import SalesRepresentative

Key: TypeAlias = int
Result: TypeAlias = SalesRepresentative | None


class RepByIdLoader(DataLoader[Key, Result]):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(load_fn=self._load)
        self._sessions = sessions

    async def _load(self, keys: list[Key]) -> list[Result]:
        query = select(SalesRepresentative).where(SalesRepresentative.id.in_(set(keys)))
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()
        return one_per_key(keys, rows, lambda row: row.id)
