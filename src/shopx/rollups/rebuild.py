"""The full rebuild: every rollup recomputed from the raw rows, the rollups' definition.

The incremental upkeep (:mod:`shopx.rollups.deltas`), the history moves
(:mod:`shopx.rollups.moves`) and the seeder's build (:mod:`shopx.rollups.vectorised`)
must each arrive at what this makes; tests hold them equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, literal, or_, select, update
from sqlalchemy.engine import Connection, Dialect

from shopx.db.data_version import DataVersion
from shopx.db.dialect import local_date, local_month, quarter_hour
from shopx.db.models import Customer, Order, OrderItem
from shopx.rollups.customer_days import rebuild_gaps
from shopx.rollups.measures import (
    CATEGORY,
    PRODUCT,
    item_measures,
    item_sales,
    order_measures,
    per_order_lines,
)
from shopx.rollups.product_years import rebuild_years
from shopx.rollups.segment_totals import rebuild_segment_totals
from shopx.rollups.tables import (
    ROLLUP_TABLES,
    CategoryDaily,
    CustomerGaps,
    ProductMonthly,
    ProductYearly,
    RepDaily,
    SalesDaily,
    SalesQuarterHourly,
    SegmentTotals,
    key_columns,
    measures_of,
)

Bounds = tuple[datetime, datetime]
"""The oldest order's time and a second past the newest: what the local days are cut over."""


Window = tuple[datetime, datetime]
"""A span of order times, from (inclusive) to (exclusive)."""


def _within(column: Any, windows: Sequence[Window] | None) -> list[Any]:
    """WHERE conditions: ``column`` falls in one of ``windows`` (none without windows)."""
    if windows is None:
        return []
    return [or_(*((column >= start) & (column < end) for start, end in windows))]


def _order_rollup_select(
    dialect: Dialect, tz: ZoneInfo, span: Bounds, windows: Sequence[Window] | None, *, reps: bool
) -> Any:
    day = local_date(Order.ordered_at, tz, dialect, span=span)
    group = (
        [Order.sales_rep_id]
        if reps
        else [
            func.coalesce(Customer.region, literal("")),
            func.coalesce(Order.payment_mode, literal("")),
        ]
    )
    query = _orders_per(day, *group, windows=windows)
    if reps:
        return query.where(Order.sales_rep_id.is_not(None))
    return query.join(Customer, Customer.id == Order.customer_id)


def _orders_per(bucket: Any, *keys: Any, windows: Sequence[Window] | None) -> Any:
    """The order measures per ``bucket`` x status x ``keys`` over the orders in ``windows``."""
    lines = per_order_lines().where(*_within(OrderItem.ordered_at, windows)).subquery("lines")
    return (
        select(bucket, Order.status, *keys, *order_measures(lines))
        .select_from(Order)
        .outerjoin(lines, lines.c.order_id == Order.id)
        .where(*_within(Order.ordered_at, windows))
        .group_by(bucket, Order.status, *keys)
    )


def quarter_hours_source(dialect: Dialect, windows: Sequence[Window] | None = None) -> Any:
    """The rows of :class:`SalesQuarterHourly` from the raw rows (over ``windows``)."""
    return _orders_per(quarter_hour(Order.ordered_at, dialect), windows=windows)


def _item_rollup_select(
    dialect: Dialect, tz: ZoneInfo, span: Bounds, windows: Sequence[Window] | None, *, by: Any
) -> Any:
    """Item sales per local day (per local month for products) x status x ``by``."""
    bucket_of = local_month if by is PRODUCT else local_date
    bucket = bucket_of(OrderItem.ordered_at, tz, dialect, span=span)
    columns = [bucket, Order.status, by, *item_measures()]
    query = item_sales(columns, by=by).where(*_within(OrderItem.ordered_at, windows))
    return query.group_by(bucket, Order.status, by)


def rollup_sources(
    dialect: Dialect, tz: ZoneInfo, span: Bounds, windows: Sequence[Window] | None = None
) -> dict[type, Any]:
    """Per rollup model, the SELECT of its rows (key columns, then measures) from the raw
    rows, over the orders placed in ``windows`` (every order without them). ``span`` bounds
    the order times the query can meet. A window should hold whole local days (whole local
    months for :class:`ProductMonthly`), or the rows of its edge days come out partial (its
    quarters of an hour are whole with it, as local midnights fall on their edges).
    """
    return {
        SalesDaily: _order_rollup_select(dialect, tz, span, windows, reps=False),
        SalesQuarterHourly: quarter_hours_source(dialect, windows),
        RepDaily: _order_rollup_select(dialect, tz, span, windows, reps=True),
        CategoryDaily: _item_rollup_select(dialect, tz, span, windows, by=CATEGORY),
        ProductMonthly: _item_rollup_select(dialect, tz, span, windows, by=PRODUCT),
    }


def rebuild(conn: Connection, tz: ZoneInfo) -> dict[str, int]:
    """Recompute every rollup from the raw rows; returns the row count per rollup table."""
    oldest, newest = conn.execute(
        select(func.min(Order.ordered_at), func.max(Order.ordered_at))
    ).one()
    for model in ROLLUP_TABLES:
        conn.execute(delete(model.__table__))
    counts = {
        CustomerGaps.__tablename__: rebuild_gaps(conn, tz),
        SegmentTotals.__tablename__: rebuild_segment_totals(conn),
    }
    if oldest is None:
        counts[ProductYearly.__tablename__] = rebuild_years(conn)
        return {model.__tablename__: 0 for model in ROLLUP_TABLES} | counts
    span = (oldest, newest + timedelta(seconds=1))
    for model, source in rollup_sources(conn.dialect, tz, span).items():
        table = model.__table__
        columns = [*key_columns(table), *measures_of(table)]
        conn.execute(table.insert().from_select(columns, source))
        counts[model.__tablename__] = conn.execute(
            select(func.count()).select_from(table)
        ).scalar_one()
    counts[ProductYearly.__tablename__] = rebuild_years(conn)
    conn.execute(update(DataVersion).where(DataVersion.id == 1).values(rollup_timezone=tz.key))
    return counts
