"""The full rebuild: every rollup recomputed from the raw rows, the rollups' definition.

The incremental upkeep (:mod:`shopx.rollups.deltas`), the history moves
(:mod:`shopx.rollups.moves`) and the seeder's build (:mod:`shopx.rollups.vectorised`)
must each arrive at what this makes; tests hold them equal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, literal, select, union_all, update
from sqlalchemy.engine import Connection

from shopx.db.data_version import DataVersion
from shopx.db.dialect import local_date, local_month
from shopx.db.models import Customer, Order, OrderItem
from shopx.rollups.measures import (
    CATEGORY,
    PARENT_CATEGORY,
    PRODUCT,
    item_measures,
    item_sales,
    order_measures,
    per_order_lines,
)
from shopx.rollups.tables import (
    ROLLUP_TABLES,
    CategoryDaily,
    ProductMonthly,
    RepDaily,
    SalesDaily,
    key_columns,
    measures_of,
)

Bounds = tuple[datetime, datetime]
"""The oldest order's time and a second past the newest: what the local days are cut over."""


def _order_rollup_select(conn: Connection, tz: ZoneInfo, span: Bounds, *, reps: bool) -> Any:
    lines = per_order_lines().subquery("lines")
    day = local_date(Order.ordered_at, tz, conn.dialect, span=span)
    group = (
        [Order.sales_rep_id]
        if reps
        else [
            func.coalesce(Customer.region, literal("")),
            func.coalesce(Order.payment_mode, literal("")),
        ]
    )
    query = (
        select(day, Order.status, *group, *order_measures(lines))
        .select_from(Order)
        .outerjoin(lines, lines.c.order_id == Order.id)
        .group_by(day, Order.status, *group)
    )
    if reps:
        return query.where(Order.sales_rep_id.is_not(None))
    return query.join(Customer, Customer.id == Order.customer_id)


def _item_rollup_select(conn: Connection, tz: ZoneInfo, span: Bounds, *, by: Any) -> Any:
    """Item sales per local day (per local month for products) x status x ``by``."""
    bucket_of = local_month if by is PRODUCT else local_date
    bucket = bucket_of(OrderItem.ordered_at, tz, conn.dialect, span=span)
    columns = [bucket, Order.status, by, *item_measures()]
    return item_sales(columns, by=by).group_by(bucket, Order.status, by)


def rebuild(conn: Connection, tz: ZoneInfo) -> dict[str, int]:
    """Recompute every rollup from the raw rows; returns the row count per rollup table."""
    oldest, newest = conn.execute(
        select(func.min(Order.ordered_at), func.max(Order.ordered_at))
    ).one()
    for model in ROLLUP_TABLES:
        conn.execute(delete(model.__table__))
    if oldest is None:
        return {model.__tablename__: 0 for model in ROLLUP_TABLES}
    span = (oldest, newest + timedelta(seconds=1))
    sources = {
        SalesDaily: _order_rollup_select(conn, tz, span, reps=False),
        RepDaily: _order_rollup_select(conn, tz, span, reps=True),
        CategoryDaily: union_all(
            _item_rollup_select(conn, tz, span, by=CATEGORY),
            _item_rollup_select(conn, tz, span, by=PARENT_CATEGORY),
        ),
        ProductMonthly: _item_rollup_select(conn, tz, span, by=PRODUCT),
    }
    counts = {}
    for model, source in sources.items():
        table = model.__table__
        columns = [*key_columns(table), *measures_of(table)]
        conn.execute(table.insert().from_select(columns, source))
        counts[model.__tablename__] = conn.execute(
            select(func.count()).select_from(table)
        ).scalar_one()
    conn.execute(update(DataVersion).where(DataVersion.id == 1).values(rollup_timezone=tz.key))
    return counts
