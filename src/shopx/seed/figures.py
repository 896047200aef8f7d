"""The customers' order figures and segments, computed from the generated orders.

They are what :func:`shopx.customers.stats.refresh_all_customer_stats` and
:func:`shopx.customers.segments.recompute_segments` make of the loaded rows (the seeding
tests hold the two equal), loaded with the customers instead of written over them
afterwards: at scale L those two updates of every customer took longer than the rest of
the seeding together. A customer last changed at its last recognised order, or when it
signed up if it has none.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from shopx.calendar import local_day
from shopx.columnar.grouping import rows_of
from shopx.columnar.tables import Categorical, Table
from shopx.customers.segments import Buyer, buyer_segments
from shopx.db.models import Segment
from shopx.rollups.vectorised import local_days
from shopx.seed.dataset import Dataset

SEGMENTS = tuple(segment.value for segment in Segment)
MOMENT = np.dtype("datetime64[us]")


def with_customer_figures(
    dataset: Dataset, statuses: Collection[str], until: datetime, tz: ZoneInfo
) -> Dataset:
    """``dataset`` with its customers' figures from their orders of ``statuses``, and
    their segments as of ``until`` with days cut in ``tz``."""
    customers = dataset.table("customers")
    figures = customer_figures(dataset, statuses)
    buyers = np.flatnonzero(figures["order_count"])
    segment = np.full(customers.rows, SEGMENTS.index(Segment.NEW), dtype=np.int64)
    if len(buyers):
        targets = buyer_segments(_buyers(customers, figures, buyers, tz), local_day(until, tz))
        segment[buyers] = [SEGMENTS.index(target) for target in targets.values()]
    signed_up, last = customers.columns["created_at"], figures["last_order_at"]
    columns = {
        **customers.columns,
        **figures,
        "segment": Categorical(segment, SEGMENTS),
        "updated_at": np.where(np.isnat(last), signed_up, last),
    }
    tables = tuple(
        Table(table.name, columns) if table is customers else table for table in dataset.tables
    )
    return replace(dataset, tables=tables)


def customer_figures(dataset: Dataset, statuses: Collection[str]) -> dict[str, np.ndarray]:
    """Per customer (in row order): its orders of ``statuses``, their value in cents, and
    its first and last of them (``NaT`` without any)."""
    orders = dataset.table("orders").columns
    status = orders["status"]
    assert isinstance(status, Categorical)
    codes = [code for code, label in enumerate(status.labels) if label in statuses]
    counted = np.flatnonzero(np.isin(status.codes, codes))
    count = dataset.table("customers").rows
    row = rows_of(dataset.table("customers").columns["id"], orders["customer_id"][counted])
    by = np.argsort(row, kind="stable")
    present, starts = np.unique(row[by], return_index=True)
    counted = counted[by]
    micros = orders["ordered_at"].astype(MOMENT).view(np.int64)[counted]
    figures = {
        "lifetime_value_cents": np.zeros(count, dtype=np.int64),
        "order_count": np.zeros(count, dtype=np.int32),
        "first_order_at": np.full(count, np.datetime64("NaT"), dtype=MOMENT),
        "last_order_at": np.full(count, np.datetime64("NaT"), dtype=MOMENT),
    }
    if not len(present):
        return figures
    figures["lifetime_value_cents"][present] = np.add.reduceat(
        orders["total_cents"].astype(np.int64)[counted], starts
    )
    figures["order_count"][present] = np.diff(np.r_[starts, len(counted)])
    figures["first_order_at"][present] = np.minimum.reduceat(micros, starts).view(MOMENT)
    figures["last_order_at"][present] = np.maximum.reduceat(micros, starts).view(MOMENT)
    return figures


def _buyers(
    customers: Table, figures: dict[str, np.ndarray], rows: np.ndarray, tz: ZoneInfo
) -> list[Buyer]:
    first = local_days(figures["first_order_at"][rows], tz)
    last = local_days(figures["last_order_at"][rows], tz)
    return [
        Buyer(key, Segment.NEW, orders, cents, first_day, last_day)
        for key, orders, cents, first_day, last_day in zip(
            customers.columns["id"][rows].tolist(),
            figures["order_count"][rows].tolist(),
            figures["lifetime_value_cents"][rows].tolist(),
            first.tolist(),
            last.tolist(),
            strict=True,
        )
    ]
