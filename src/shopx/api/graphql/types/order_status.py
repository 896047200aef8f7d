"""The ``OrderStatus`` enum: an order's lifecycle state (:mod:`shopx.db.models`)."""

from __future__ import annotations

import strawberry

from shopx.db import models

OrderStatus = strawberry.enum(models.OrderStatus, name="OrderStatus")
