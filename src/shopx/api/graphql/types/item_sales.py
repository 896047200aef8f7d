"""The fields every item-sales type shows (a product's or a category's lines over a period),
in one mapping from :class:`~shopx.analytics.metrics.ItemTotals`."""

from __future__ import annotations

from typing import Any

from shopx.analytics.metrics import ItemTotals, money


def item_sales_fields(totals: ItemTotals) -> dict[str, Any]:
    """``revenue`` (item sales), ``profit``, ``profit_margin``, ``units_sold`` and
    ``order_count`` of ``totals``, as the GraphQL types hold them."""
    return {
        "revenue": money(totals.item_sales_cents),
        "profit": money(totals.profit_cents),
        "profit_margin": totals.profit_margin,
        "units_sold": totals.units,
        "order_count": totals.orders,
    }
