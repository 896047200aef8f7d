"""Group-by helpers over numpy columns: rows by id, combined keys, exact int64 sums."""

from __future__ import annotations

import numpy as np

from shopx.columnar.tables import Categorical, Column


def rows_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The row of each of ``wanted`` in ``ids`` (ascending, as generated ids are)."""
    if len(ids) and ids[-1] - ids[0] == len(ids) - 1:
        return wanted - ids[0]
    return np.searchsorted(ids, wanted)


def take(columns: dict[str, Column], rows: np.ndarray) -> dict[str, Column]:
    return {name: column[rows] for name, column in columns.items()}


def key_codes(column: Column) -> np.ndarray:
    """Integers that are equal exactly where the column's values are."""
    if isinstance(column, Categorical):
        return column.codes
    return column.view(np.int64) if column.dtype.kind == "M" else column


def combined_key(keys: dict[str, Column]) -> np.ndarray:
    """One integer per row for its combination of keys, ordered like the combinations."""
    codes = [key_codes(column).astype(np.int64) for column in keys.values()]
    shifted = [code - code.min() for code in codes]
    return np.ravel_multi_index(shifted, [int(code.max()) + 1 for code in shifted])


def sums_per_order(
    order: np.ndarray, count: int, values: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Each of ``values`` (one per item, ``order`` its order's row) summed per order of
    ``count``; 0 for an order without items."""
    by = np.argsort(order, kind="stable")
    present, starts = np.unique(order[by], return_index=True)
    sums = {}
    for name, value in values.items():
        sums[name] = np.zeros(count, dtype=np.int64)
        sums[name][present] = np.add.reduceat(value[by], starts)
    return sums
