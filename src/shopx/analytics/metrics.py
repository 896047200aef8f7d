"""Every metric the product shows, defined once.

Sums are integer cents; a value is rounded only when it is shown, once.

* Revenue: the totals (net of discount) of orders whose status counts as revenue
  (``SHOPX_REVENUE_STATUSES``, default COMPLETED). A refund or cancellation counts
  against the order's own date.
* Orders: the number of those orders. AOV: revenue / orders.
* Order-level sales: :class:`SalesTotals`. Item sales, quantity x unit price before
  order discounts (product, category and brand breakdowns): :class:`ItemTotals`.
* Cost: quantity x unit cost captured at sale time. Margin: profit / revenue.
* Growth: (current - previous) / |previous|, as a percentage; none when previous is zero.
  Dividing by the magnitude keeps the sign of the change when previous is negative (a
  profit from -100 to 50 is +150%, not -150%).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def money(cents: int | Fraction) -> Decimal:
    """Cents as an exact decimal with two places (fractional cents rounded half up)."""
    if isinstance(cents, Fraction):
        value = Decimal(cents.numerator) / Decimal(cents.denominator) / 100
        rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
        return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0.00"
    return Decimal(cents).scaleb(-2)


def percentage(part: int | Fraction, whole: int | Fraction) -> float | None:
    """``part / whole`` as a percentage (23.5 means 23.5%); none when ``whole`` is zero."""
    if not whole:
        return None
    return round(float(Fraction(part) / Fraction(whole) * 100), 4)


def ratio(part: int | Fraction, whole: int | Fraction) -> float | None:
    """``part / whole`` as a plain ratio (0.235 means 23.5%); none when ``whole`` is zero."""
    if not whole:
        return None
    return round(float(Fraction(part) / Fraction(whole)), 6)


def growth(current: int | Fraction, previous: int | Fraction) -> float | None:
    """Change from ``previous`` to ``current`` as a percentage of ``|previous|`` (positive
    when it rose, even from a negative value); none when previous is zero."""
    if not previous:
        return None
    return percentage(Fraction(current) - Fraction(previous), abs(previous))


def average(total: int, count: int) -> Fraction:
    """``total / count`` exactly; zero when ``count`` is zero."""
    return Fraction(total, count) if count else Fraction(0)


@dataclass(slots=True)
class SalesTotals:
    """Recognised orders only, revenue net of discount, profit = item sales - cost - discount;
    refunds and cancellations count against the order's own date."""

    orders: int = 0
    revenue_cents: int = 0
    item_sales_cents: int = 0
    """The orders' item sales (see :class:`ItemTotals`)."""
    discount_cents: int = 0
    cost_cents: int = 0
    units: int = 0
    cancelled_orders: int = 0
    cancelled_revenue_cents: int = 0
    customers: int = field(default=0)

    def __iadd__(self, other: SalesTotals) -> SalesTotals:
        for name in self.__slots__:
            if name != "customers":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def item_profit_cents(self) -> int:
        """Item sales - cost: the profit before order discounts, as the item breakdowns
        count it (:attr:`ItemTotals.profit_cents` of all the orders' lines)."""
        return ItemTotals(self.item_sales_cents, self.cost_cents).profit_cents

    @property
    def profit_cents(self) -> int:
        """Item sales - cost - discount."""
        return self.item_profit_cents - self.discount_cents

    @property
    def average_order_value(self) -> Fraction:
        """Revenue / orders; zero without orders."""
        return average(self.revenue_cents, self.orders)

    @property
    def average_order_profit(self) -> Fraction:
        """Profit / orders; zero without orders."""
        return average(self.profit_cents, self.orders)

    @property
    def profit_margin(self) -> float | None:
        """Profit / revenue, in %; null without revenue."""
        return percentage(self.profit_cents, self.revenue_cents)


@dataclass(slots=True)
class ItemTotals:
    """Item sales: quantity x unit price summed over the order lines, before order-level
    discounts (so not net revenue), recognised orders only; profit = item sales - cost."""

    item_sales_cents: int = 0
    """Quantity x unit price over the lines, before order discounts: the item sales."""
    cost_cents: int = 0
    units: int = 0
    orders: int = 0

    def add(self, item_sales_cents: int, cost_cents: int, units: int, orders: int) -> None:
        self.item_sales_cents += item_sales_cents
        self.cost_cents += cost_cents
        self.units += units
        self.orders += orders

    @property
    def profit_cents(self) -> int:
        """Item sales - cost."""
        return self.item_sales_cents - self.cost_cents

    @property
    def profit_margin(self) -> float | None:
        """Profit / item sales, in %; null without item sales."""
        return percentage(self.profit_cents, self.item_sales_cents)
