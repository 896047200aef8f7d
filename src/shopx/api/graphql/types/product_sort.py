"""The ``ProductSort`` enum: how top products are ranked (:mod:`shopx.analytics.products`)."""

from __future__ import annotations

import strawberry

from shopx.analytics import products

ProductSort = strawberry.enum(products.ProductSort, name="ProductSort")
