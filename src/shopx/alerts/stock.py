"""Low-stock alerts: one open per product at or below its reorder level, closed on restock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.alerts.repository import (
    OPEN_AT_ONCE,
    AlertKind,
    NewAlert,
    close_alerts,
    open_alerts,
    open_subjects,
)
from shopx.catalog.repository import LOW_ON_STOCK
from shopx.catalog.stock import LowStock
from shopx.db.models import Alert, Product


@dataclass(frozen=True, slots=True)
class Sweep:
    opened: list[int]
    """Ids of the alerts this sweep opened."""
    closed: list[int]
    """Ids of the alerts this sweep closed."""
    still_open: int
    """Low-stock alerts open after the sweep."""


def subject_of(product_id: int) -> str:
    return f"product:{product_id}"


def message_of(row: LowStock) -> str:
    """One line an owner can act on: the product, its stock against its level, how long
    the stock lasts at the recent sales rate."""
    product = row.product
    head = (
        f"{product.name} (SKU {product.sku}): {product.stock_quantity} in stock,"
        f" reorder level {product.reorder_level}"
    )
    days = row.days_of_stock_left
    if product.stock_quantity <= 0:
        return f"{head}; out of stock"
    if days is None:
        return f"{head}; no sales in the last {row.window_days} days"
    return (
        f"{head}; {_number(days, 2)} days of stock left at {_number(row.daily_sales_rate, 4)}"
        f" a day (last {row.window_days} days)"
    )


def _number(value: float, places: int) -> str:
    """``value`` to at most ``places`` decimals, without trailing zeros: 100, 4.67, 1,250.5."""
    return f"{value:,.{places}f}".rstrip("0").rstrip(".")


RESTOCKED: ColumnElement[bool] = ~exists(
    select(Product.id).where(Product.id == Alert.product_id, LOW_ON_STOCK)
)
"""The alert's product is above its reorder level again (or no longer sold)."""


async def sweep_low_stock(
    session: AsyncSession, low: Sequence[LowStock], *, now: datetime
) -> Sweep:
    """Close the low-stock alerts of products restocked above their level (or made
    inactive), then open one for each product of ``low`` (read before, outside the
    writers' turn: :func:`~shopx.catalog.stock.low_stock_products`) that is at or below
    its level still and has none open. A sweep's write is short: its candidates and their
    messages, which read the recent sales, are worked out before it.

    Safe to run twice or concurrently: a second run finds nothing to change, and two runs
    at once open each alert once (the unique index makes the later insert give way)."""
    closed = await close_alerts(session, AlertKind.LOW_STOCK, RESTOCKED, now)
    known = await open_subjects(session, AlertKind.LOW_STOCK)
    fresh = [row for row in low if subject_of(row.product.id) not in known]
    still_low = await _still_low(session, [row.product.id for row in fresh])
    alerts = [
        NewAlert(AlertKind.LOW_STOCK, subject_of(row.product.id), message_of(row), row.product.id)
        for row in fresh
        if row.product.id in still_low
    ]
    opened = await open_alerts(session, alerts, now)
    return Sweep(opened, closed, len(known) + len(opened))


async def _still_low(session: AsyncSession, product_ids: Sequence[int]) -> set[int]:
    """Which of ``product_ids`` are active and at or below their reorder level now."""
    low: set[int] = set()
    for start in range(0, len(product_ids), OPEN_AT_ONCE):
        low.update(
            await session.scalars(
                select(Product.id).where(
                    Product.id.in_(product_ids[start : start + OPEN_AT_ONCE]), LOW_ON_STOCK
                )
            )
        )
    return low
