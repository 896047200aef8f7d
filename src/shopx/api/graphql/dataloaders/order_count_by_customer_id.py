"""How many orders each customer has (any status): the totalCount of ``Customer.orders``."""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy import func, select

from shopx.api.graphql.dataloaders.session_loader import SessionLoader
from shopx.db.models import Order

Key: TypeAlias = int
Result: TypeAlias = int


class OrderCountByCustomerIdLoader(SessionLoader[Key, Result]):
    async def _load(self, keys: list[Key]) -> list[Result]:
        query = (
            select(Order.customer_id, func.count())
            .where(Order.customer_id.in_(set(keys)))
            .group_by(Order.customer_id)
        )
        async with self._sessions() as session:
            counts = {customer_id: n for customer_id, n in await session.execute(query)}
        return [counts.get(key, 0) for key in keys]
