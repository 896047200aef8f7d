"""What a product's list prices say before any sale: its margin at list price."""

from __future__ import annotations

from shopx.analytics.metrics import percentage
from shopx.db.models import Product


def list_price_margin(product: Product) -> float | None:
    """(selling price - cost price) / selling price at the current list prices, in %; null
    when the selling price is zero."""
    price = product.selling_price_cents
    return percentage(price - product.cost_price_cents, price)
