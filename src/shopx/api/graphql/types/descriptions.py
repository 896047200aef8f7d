"""Definitions quoted by several types' schema descriptions."""

from __future__ import annotations

ITEM_SALES = (
    "Item sales: quantity x unit price before order-level discounts, recognised orders only."
)


ITEM_LEVEL = "Item sales (quantity x unit price) before order-level discounts."


ORDER_LEVEL = "Order revenue net of discount; profit = item sales - cost - discount."


ORDER_SALES = (
    "Recognised orders only, revenue net of discount; refunds and cancellations count "
    "against the order's own date."
)
