"""The rollup tables, computed from the seeder's generated rows with numpy.

They hold what :func:`shopx.rollups.rebuild.rebuild` (the definition) makes of the
loaded rows, without reading millions of items back; ``tests/test_seed_rollups.py``
holds the two equal. The measures are those of :mod:`shopx.rollups.measures`, their
expressions applied to whole columns. Days and months are business-local, cut with the
UTC offsets in force; every sum is an exact int64 sum. Generated regions and payment
modes are never NULL, so the rollups' empty "none" key does not arise here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import numpy as np

from shopx.calendar import MICROSECOND, QUARTER_HOUR, epoch_micros
from shopx.columnar.grouping import combined_key, rows_of, sums_per_order, take
from shopx.columnar.tables import Categorical, Column, Table
from shopx.db.dialect import offset_intervals
from shopx.rollups.measures import LINE_MEASURES, ORDER_LEVEL_MEASURES, ORDERS
from shopx.rollups.tables import (
    CategoryDaily,
    ProductMonthly,
    RepDaily,
    SalesDaily,
    SalesQuarterHourly,
)

Columns = dict[str, Column]
QUARTER_MICROS = QUARTER_HOUR // MICROSECOND
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


def build_rollups(dataset: Tables, tz: ZoneInfo, *, reps: bool = True) -> tuple[Table, ...]:
    """The rows of every table of :mod:`shopx.rollups.tables`, with days and months cut
    in ``tz`` (without ``reps``, of every table but :class:`RepDaily`: no order has a rep)."""
    orders = dataset.table("orders").columns
    items = dataset.table("order_items").columns
    item_order = rows_of(orders["id"], items["order_id"])
    lines = line_arrays(items)
    per_order = {"day": local_days(orders["ordered_at"], tz), "status": orders["status"]}
    per_item = take(per_order, item_order)
    totals = order_arrays(orders, item_order, lines)
    return (
        sales_daily(dataset, per_order, totals),
        sales_quarter_hourly(orders, totals),
        *((rep_daily(orders, per_order, totals),) if reps else ()),
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


def sales_quarter_hourly(orders: Columns, values: Values) -> Table:
    micros = orders["ordered_at"].astype("datetime64[us]").view(np.int64)
    keys = {"quarter_hour": micros // QUARTER_MICROS, "status": orders["status"]}
    return group_rows(SalesQuarterHourly.__tablename__, keys, np.arange(len(micros)), values)


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


@dataclass(frozen=True)
class Dataset:
    """Tables by name: what :func:`build_rollups` reads."""

    tables: dict[str, Table]

    def table(self, name: str) -> Table:
        return self.tables[name]


@dataclass
class NewOrders:
    """New orders and their items, one list per column (a bulk import's batch), and what
    they name: each customer's region, each product's category, each category's parent."""

    ids: list[int] = field(default_factory=list)
    """Ascending."""
    placed: list[datetime] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)
    payment_modes: list[str | None] = field(default_factory=list)
    reps: list[int | None] = field(default_factory=list)
    discounts: list[int] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    item_orders: list[int] = field(default_factory=list)
    item_products: list[int] = field(default_factory=list)
    quantities: list[int] = field(default_factory=list)
    unit_prices: list[int] = field(default_factory=list)
    unit_costs: list[int] = field(default_factory=list)
    regions: dict[int, str | None] = field(default_factory=dict)
    product_categories: dict[int, int] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)

    def dataset(self) -> Dataset:
        """The generated-tables form of these rows (NULL texts are the rollups' "")."""
        customers, products, categories = (
            sorted(self.regions),
            sorted(self.product_categories),
            sorted(self.parents),
        )
        micros = [epoch_micros(moment) for moment in self.placed]
        tables = {
            "orders": {
                "id": _ints(self.ids),
                "ordered_at": np.array(micros, dtype=np.int64).astype("datetime64[us]"),
                "status": _labels(self.statuses),
                "customer_id": _ints(self.customers),
                "payment_mode": _labels(self.payment_modes),
                "sales_rep_id": _nullable(self.reps),
                "discount_cents": _ints(self.discounts),
                "total_cents": _ints(self.totals),
            },
            "order_items": {
                "order_id": _ints(self.item_orders),
                "product_id": _ints(self.item_products),
                "quantity": _ints(self.quantities),
                "unit_price_cents": _ints(self.unit_prices),
                "unit_cost_cents": _ints(self.unit_costs),
            },
            "customers": {
                "id": _ints(customers),
                "region": _labels([self.regions[c] for c in customers]),
            },
            "products": {
                "id": _ints(products),
                "category_id": _ints([self.product_categories[p] for p in products]),
            },
            "categories": {
                "id": _ints(categories),
                "parent_id": _nullable([self.parents[c] for c in categories]),
            },
        }
        return Dataset({name: Table(name, columns) for name, columns in tables.items()})


def new_orders_rollups(orders: NewOrders, tz: ZoneInfo) -> tuple[Table, ...]:
    """What ``orders`` (at least one, none of them counted by a stored rollup row yet) add
    to each rollup table: :func:`build_rollups` over them alone, each table's rows keyed
    and summed as the definition makes them (a table they add nothing to is left out)."""
    dataset = orders.dataset()
    return build_rollups(dataset, tz, reps=any(rep is not None for rep in orders.reps))


def table_rows(table: Table, names: list[str]) -> list[tuple[Any, ...]]:
    """The rows of ``table`` as tuples of Python values, in the order of ``names``: texts
    as str, days as ``date``, integers as int."""
    columns = []
    for name in names:
        column = table.columns[name]
        if isinstance(column, Categorical):
            columns.append(column.values().tolist())
        elif column.dtype.kind == "M":
            columns.append(column.astype(object).tolist())
        else:
            columns.append(column.tolist())
    return list(zip(*columns, strict=True))


def _ints(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _nullable(values: list[int | None]) -> np.ma.MaskedArray:
    present = np.array([value is not None for value in values], dtype=bool)
    ids = np.array([value or 0 for value in values], dtype=np.int64)
    return np.ma.MaskedArray(ids, mask=~present)


def _labels(values: list[str | None]) -> Categorical:
    """Text as codes into its sorted distinct values (None is "")."""
    texts = ["" if value is None else value for value in values]
    labels = sorted(set(texts))
    code = {label: index for index, label in enumerate(labels)}
    return Categorical(np.array([code[text] for text in texts], dtype=np.int64), tuple(labels))
