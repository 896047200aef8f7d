"""The ``MarginGroupBy`` enum: how margins are grouped (:mod:`shopx.analytics.margins`)."""

from __future__ import annotations

import strawberry

from shopx.analytics import margins
from shopx.api.graphql.types.descriptions import ITEM_LEVEL, ORDER_LEVEL

MarginGroupBy = strawberry.enum(
    margins.MarginGroupBy,
    name="MarginGroupBy",
    description=(
        f"PRODUCT, CATEGORY (top-level, subtree included), BRAND: {ITEM_LEVEL} "
        f"CUSTOMER_SEGMENT (current segment), SALES_REP (orders without a rep left out), "
        f"REGION (the customer's), PAYMENT_MODE, DAY, WEEK, MONTH (business-local): "
        f"{ORDER_LEVEL}"
    ),
)
