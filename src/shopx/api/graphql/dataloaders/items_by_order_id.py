"""The items (lines) of each order, in the order they were written."""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy import select

from shopx.api.graphql.dataloaders.key_order import all_per_key
from shopx.api.graphql.dataloaders.session_loader import SessionLoader
from shopx.db.models import OrderItem

Key: TypeAlias = int
Result: TypeAlias = list[OrderItem]


class ItemsByOrderIdLoader(SessionLoader[Key, Result]):
    async def _load(self, keys: list[Key]) -> list[Result]:
        query = (
            select(OrderItem)
            .where(OrderItem.order_id.in_(set(keys)))
            .order_by(OrderItem.order_id, OrderItem.id)
        )
        async with self._sessions() as session:
            rows = (await session.scalars(query)).all()
        return all_per_key(keys, rows, lambda row: row.order_id)
