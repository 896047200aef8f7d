"""The four rollup tables, computed from the seeder's generated rows with numpy.

They hold what :func:`shopx.rollups.rebuild.rebuild` (the definition) makes of the
loaded rows, without reading millions of items back; ``tests/test_seed_rollups.py``
holds the two equal. The measures are those of :mod:`shopx.rollups.measures`, their
expressions applied to whole columns. Days and months are business-local, cut with the
UTC offsets in force; every sum is an exact int64 sum. Generated regions and payment
modes are never NULL, so the rollups' empty "none" key does not arise here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import numpy as np

from shopx.columnar.grouping import combined_key, rows_of, sums_per_order, take
from shopx.columnar.tables import Column, Table
from shopx.db.dialect import offset_intervals
from shopx.rollups.measures import LINE_MEASURES, ORDER_LEVEL_MEASURES, ORDERS
from shopx.rollups.tables import CategoryDaily, ProductMonthly, RepDaily, SalesDaily

Columns = dict[str, Column]
Values = dict[str, np.ndarray]


def local_days(moments: np.ndarray, tz: ZoneInfo) -> np.ndarray:
    """The business-local calendar day (``datetime64[D]``) of each UTC timestamp."""
    seconds = moments.astype("datetime64[s]").view(np.int64)
    span = (datetime.fromtimestamp(int(edge), UTC) for edge in (seconds.min(), seconds.max() + 1))
    intervals = offset_intervals(tz, *span)
    edges = np.array([int(valid_from.timestamp()) for valid_from, _ in intervals])
    offsets = np.array([offset for _, offset in intervals])
    local = seconds + offsets[np.searchsorted(edges, seconds, side="right") - 1]
    return local.astype("datetime64[s]").astype("datetime64[D]")


class _Int64Columns:
    """Columns read as attributes, widened to int64 so that measure expressions sum exactly."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns

    def __getattr__(self, name: str) -> np.ndarray:
        return self._columns[name].astype(np.int64, copy=False)


class Tables(Protocol):
    """The generated tables by name (the seeder's dataset)."""

    def table(self, name: str) -> Table: ...


def line_arrays(items: Columns) -> Values:
    """What each item adds to each line measure, as one array per measure name (the numpy
    counterpart of :func:`shopx.rollups.measures.line_values`, which takes one line)."""
    lines = _Int64Columns(items)
    return {measure.name: measure.value(lines) for measure in LINE_MEASURES}


def order_arrays(orders: Columns, item_order: np.ndarray, lines: Values) -> Values:
    """Every measure but the order count, per order, as one array per measure name: its
    lines' sums, then its own order-level measures."""
    own = _Int64Columns(orders)
    return {
        **sums_per_order(item_order, len(orders["id"]), lines),
        **{measure.name: measure.value(own) for measure in ORDER_LEVEL_MEASURES},
    }


def group_rows(name: str, keys: Columns, order: np.ndarray, values: Values) -> Table:
    """Table ``name``: one row per combination of ``keys`` (in their order), then
    ``orders``, the distinct values of ``order`` among its rows, then the sums of ``values``.

    Every column holds one value per row; there is at least one row.
    """
    key = combined_key(keys)
    by = np.lexsort((order, key))
    key, order = key[by], order[by]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    new_order = np.r_[True, (key[1:] != key[:-1]) | (order[1:] != order[:-1])]
    return Table(
        name,
        {
            **take(keys, by[starts]),
            ORDERS: np.add.reduceat(new_order.astype(np.int64), starts).astype(np.int32),
            **{measure: np.add.reduceat(value[by], starts) for measure, value in values.items()},
        },
    )


def build_rollups(dataset: Tables, tz: ZoneInfo) -> tuple[Table, ...]:
    """The rows of every table of :mod:`shopx.rollups.tables`, with days and months cut
    in ``tz``."""
    orders = dataset.table("orders").columns
    items = dataset.table("order_items").columns
    item_order = rows_of(orders["id"], items["order_id"])
    lines = line_arrays(items)
    per_order = {"day": local_days(orders["ordered_at"], tz), "status": orders["status"]}
    per_item = take(per_order, item_order)
    totals = order_arrays(orders, item_order, lines)
    return (
        sales_daily(dataset, per_order, totals),
        rep_daily(orders, per_order, totals),
        category_daily(dataset, per_item, item_order, lines),
        product_monthly(items, per_item, item_order, lines),
    )


def sales_daily(dataset: Tables, per_order: Columns, values: Values) -> Table:
    orders, customers = dataset.table("orders").columns, dataset.table("customers").columns
    keys = {
        **per_order,
        "region": customers["region"][rows_of(customers["id"], orders["customer_id"])],
        "payment_mode": orders["payment_mode"],
    }
    return group_rows(SalesDaily.__tablename__, keys, np.arange(len(orders["id"])), values)


def rep_daily(orders: Columns, per_order: Columns, values: Values) -> Table:
    rep = orders["sales_rep_id"]
    assisted = np.flatnonzero(~np.ma.getmaskarray(rep))
    keys = {**take(per_order, assisted), "sales_rep_id": np.ma.getdata(rep)[assisted]}
    return group_rows(RepDaily.__tablename__, keys, assisted, take(values, assisted))


def category_daily(
    dataset: Tables, per_item: Columns, item_order: np.ndarray, lines: Values
) -> Table:
    """Each item counts for its product's category and, if it has one, for the parent."""
    products, categories = dataset.table("products").columns, dataset.table("categories").columns
    items = dataset.table("order_items").columns
    category = products["category_id"][rows_of(products["id"], items["product_id"])]
    parent = categories["parent_id"][rows_of(categories["id"], category)]
    with_parent = np.flatnonzero(~np.ma.getmaskarray(parent))
    item = np.concatenate([np.arange(len(category)), with_parent])
    keys = {
        **take(per_item, item),
        "category_id": np.concatenate([category, np.ma.getdata(parent)[with_parent]]),
    }
    return group_rows(CategoryDaily.__tablename__, keys, item_order[item], take(lines, item))


def product_monthly(
    items: Columns, per_item: Columns, item_order: np.ndarray, lines: Values
) -> Table:
    keys = {
        "month": per_item["day"].astype("datetime64[M]").astype("datetime64[D]"),
        "status": per_item["status"],
        "product_id": items["product_id"],
    }
    return group_rows(ProductMonthly.__tablename__, keys, item_order, lines)
