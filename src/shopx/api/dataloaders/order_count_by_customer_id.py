"""How many orders each customer has (any status): the totalCount of ``Customer.orders``."""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from shopx.db.models import Order

Key: TypeAlias = int
Result: TypeAlias = int


class OrderCountByCustomerIdLoader(DataLoader[Key, Result]):
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(load_fn=self._load)
        self._sessions = sessions

    async def _load(self, keys: list[Key]) -> list[Result]:
        query = (
            select(Order.customer_id, func.count())
            .where(Order.customer_id.in_(set(keys)))
            .group_by(Order.customer_id)
        )
        async with self._sessions() as session:
            counts = {customer_id: n for customer_id, n in await session.execute(query)}
        return [counts.get(key, 0) for key in keys]
