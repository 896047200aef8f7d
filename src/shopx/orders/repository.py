"""SQL for reading orders: the filtered order list and its size."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Select, func, select

from shopx.db.models import Order
from shopx.rollups.tables import SalesDaily


@dataclass(frozen=True, slots=True)
class OrderCriteria:
    """Every field narrows the list; None leaves it alone. Totals are inclusive, in cents."""

    status: str | None = None
    customer_id: int | None = None
    sales_rep_id: int | None = None
    placed_from: datetime | None = None
    placed_before: datetime | None = None
    min_total_cents: int | None = None
    max_total_cents: int | None = None


def orders_matching(where: OrderCriteria) -> Select[tuple[Order]]:
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


def rollup_count(where: OrderCriteria) -> Select[tuple[int]] | None:
    """How many orders match ``where``, from the daily sales rollup, when no filter but
    status is set: it counts every order exactly once, under its status, in a few thousand
    rollup rows instead of every raw order. None otherwise."""
    if any(
        getattr(where, field.name) is not None for field in fields(where) if field.name != "status"
    ):
        return None
    query = select(func.coalesce(func.sum(SalesDaily.orders), 0))
    return query if where.status is None else query.where(SalesDaily.status == where.status)
