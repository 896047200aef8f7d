"""The items (lines) of each order, in the order they were written."""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from shopx.api.dataloaders.key_order import all_per_key
from shopx.db.models import OrderItem

Key: TypeAlias = int
Result: TypeAlias = list[OrderItem]


class ItemsByOrderIdLoader(DataLoader[Key, Result]):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(load_fn=self._load)
        self._sessions = sessions

    async def _load(self, keys: list[Key]) -> list[Result]:
        query = (
            select(OrderItem)
            .where(OrderItem.order_id.in_(set(keys)))
            .order_by(OrderItem.order_id, OrderItem.id)
        )
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()
        return all_per_key(keys, rows, lambda row: row.order_id)
