"""SQL for reading orders: the filtered order list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from shopx.db.models import Order


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
