"""What an order's lines add up to, whatever the order's status (the order as recorded)."""

from __future__ import annotations

from collections.abc import Sequence

from shopx.db.models import Order, OrderItem


def line_total_cents(item: OrderItem) -> int:
    """Quantity x unit price as captured at sale time."""
    return item.quantity * item.unit_price_cents


def unit_count(items: Sequence[OrderItem]) -> int:
    """Units across the order's lines (the sum of their quantities)."""
    return sum(item.quantity for item in items)


def profit_cents(order: Order, items: Sequence[OrderItem]) -> int:
    """Gross profit: the sum over lines of quantity x (unit price - unit cost) as captured
    at sale time, less the order's discount. Whatever the status."""
    margin = sum(item.quantity * (item.unit_price_cents - item.unit_cost_cents) for item in items)
    return margin - order.discount_cents
