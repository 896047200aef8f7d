"""A page of each customer's orders, newest first: the edges of ``Customer.orders``.

Customers listed together usually ask for the same page (``first``, no ``after``), so one
windowed query answers them all; each distinct page shape costs one more query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TypeAlias

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from shopx.api.graphql.dataloaders.key_order import all_per_key
from shopx.api.graphql.dataloaders.session_loader import SessionLoader
from shopx.api.graphql.keyset import Position, SortKey
from shopx.db.models import Order

NEWEST_FIRST = SortKey("ORDER_DATE", Order.ordered_at, descending=True)


@dataclass(frozen=True, slots=True)
class OrdersPage:
    customer_id: int
    size: int
    after: Position | None = None


Key: TypeAlias = OrdersPage
Result: TypeAlias = list[Order]
"""Up to ``size + 1`` orders: the extra one only says that there is a next page."""


class OrdersByCustomerIdLoader(SessionLoader[Key, Result]):
    async def _load(self, keys: list[Key]) -> list[Result]:
        shapes: dict[tuple[int, Position | None], set[int]] = defaultdict(set)
        for key in keys:
            shapes[key.size, key.after].add(key.customer_id)
        found: dict[OrdersPage, list[Order]] = {}
        async with self._sessions() as session:
            for (size, after), id_set in shapes.items():
                customer_ids = list(id_set)
                rows = (await session.scalars(_pages(customer_ids, size, after))).all()
                pages = all_per_key(customer_ids, rows, lambda row: row.customer_id)
                for customer_id, page in zip(customer_ids, pages, strict=True):
                    found[OrdersPage(customer_id, size, after)] = page
        return [found[key] for key in keys]


def _pages(customer_ids: list[int], size: int, after: Position | None) -> Select[tuple[Order]]:
    rank = func.row_number().over(partition_by=Order.customer_id, order_by=NEWEST_FIRST.order_by())
    ranked = select(Order, rank.label("rank")).where(Order.customer_id.in_(customer_ids))
    if after is not None:
        ranked = ranked.where(NEWEST_FIRST.after(after))
    ranked = ranked.subquery()
    order = aliased(Order, ranked)
    return (
        select(order).where(ranked.c.rank <= size + 1).order_by(ranked.c.customer_id, ranked.c.rank)
    )
