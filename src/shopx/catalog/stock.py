"""Products running low: stock against the recent sales rate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncSession

from shopx.catalog.repository import LOW_STOCK_WINDOW_DAYS, low_stock
from shopx.db.models import Product


@dataclass(frozen=True, slots=True)
class LowStock:
    """An active product at or below its reorder level. The sales rate counts units of
    recognised orders (COMPLETED by default) over the sales window: the last 30 days
    (``LOW_STOCK_WINDOW_DAYS``)."""

    product: Product
    units_sold: int
    """Units of recognised orders placed in the sales window."""
    window_days: int = LOW_STOCK_WINDOW_DAYS

    @property
    def daily_sales_rate(self) -> float:
        """Units sold per day over the sales window (recognised orders)."""
        return round(float(self._rate), 4)

    @property
    def days_of_stock_left(self) -> float | None:
        """Days until the stock runs out at the daily sales rate (stock / daily sales rate):
        0 when out of stock; null when in stock and nothing sold in the sales window."""
        if self.product.stock_quantity <= 0:
            return 0.0
        if not self._rate:
            return None
        return round(float(self.product.stock_quantity / self._rate), 2)

    @property
    def _rate(self) -> Fraction:
        return Fraction(self.units_sold, self.window_days)


async def low_stock_products(
    session: AsyncSession, *, now: datetime, statuses: Sequence[str], limit: int | None
) -> list[LowStock]:
    """Active products at or below their reorder level, most urgent first: fewest days of
    stock left (out of stock first, those in stock that sold nothing in the sales window
    last), then the fastest selling, then by id."""
    rows = await low_stock(session, now=now, statuses=statuses, limit=limit)
    return [LowStock(product, units) for product, units in rows]
