"""The rollups of the generated rows, built one business-local month of orders at a time.

Every rollup row lies in one local month (its day, its month, or its quarter of an hour,
whose edges local midnights fall on), so the rows built from a month's orders alone are
exactly that month's rows; and the day, the month or the quarter leads every rollup key,
so the months' rows one after another are in the order of the rows built whole. Built
whole, the grouping's sort keys over 30M items (scale L) took ~9 GB on top of the
generated rows; a month's take a twenty-fourth of that.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np

from shopx.calendar import epoch_micros, local_midnight
from shopx.columnar.tables import Categorical, Column, Table
from shopx.rollups.vectorised import QUARTER_MICROS, Dataset, build_rollups, local_days


def build_rollups_by_month(tables: tuple[Table, ...], tz: ZoneInfo) -> tuple[Table, ...]:
    """What :func:`build_rollups` makes of ``tables``, whose orders run oldest first with
    their items grouped by order in the same order (as the seeder generates them)."""
    whole = Dataset({table.name: table for table in tables})
    orders, items = whole.table("orders"), whole.table("order_items")
    order_ids, item_order_ids = orders.columns["id"], items.columns["order_id"]
    months = local_days(orders.columns["ordered_at"], tz).astype("datetime64[M]")
    in_order = bool(np.all(months[1:] >= months[:-1])) and bool(
        np.all(item_order_ids[1:] >= item_order_ids[:-1])
    )
    order_edges = np.r_[0, np.flatnonzero(months[1:] != months[:-1]) + 1, orders.rows]
    if not in_order or not _on_quarter_hours(months[order_edges[1:-1]], tz):
        return build_rollups(whole, tz)
    item_edges = np.r_[np.searchsorted(item_order_ids, order_ids[order_edges[:-1]]), items.rows]
    parts = []
    for at in range(len(order_edges) - 1):
        order_rows = slice(order_edges[at], order_edges[at + 1])
        month = Dataset(
            {
                **whole.tables,
                "orders": _rows(orders, order_rows),
                "order_items": _rows(items, slice(item_edges[at], item_edges[at + 1])),
            }
        )
        parts.append(build_rollups(month, tz, reps=_assisted(orders, order_rows)))
    names = [table.name for table in max(parts, key=len)]
    return tuple(
        _concatenate(name, [table for part in parts for table in part if table.name == name])
        for name in names
    )


def _on_quarter_hours(months: np.ndarray, tz: ZoneInfo) -> bool:
    """Whether the local midnights starting ``months`` fall on edges of quarters of an hour
    (they do in every time zone in use since 1972), so that no quarter is cut between two."""
    starts = (local_midnight(month.astype(object), tz) for month in months)
    return all(epoch_micros(start) % QUARTER_MICROS == 0 for start in starts)


def _rows(table: Table, rows: slice) -> Table:
    return Table(table.name, {name: column[rows] for name, column in table.columns.items()})


def _assisted(orders: Table, rows: slice) -> bool:
    """Whether some of these orders have a rep (a month without any has no rep rows)."""
    return not np.ma.getmaskarray(orders.columns["sales_rep_id"][rows]).all()


def _concatenate(name: str, tables: list[Table]) -> Table:
    columns: dict[str, Column] = {}
    for column_name, first in tables[0].columns.items():
        parts = [table.columns[column_name] for table in tables]
        if isinstance(first, Categorical):
            assert all(part.labels == first.labels for part in parts)  # type: ignore[union-attr]
            columns[column_name] = Categorical(
                np.concatenate([part.codes for part in parts]),  # type: ignore[union-attr]
                first.labels,
            )
        elif isinstance(first, np.ma.MaskedArray):
            columns[column_name] = np.ma.concatenate(parts)
        else:
            columns[column_name] = np.concatenate(parts)
    return Table(name, columns)
