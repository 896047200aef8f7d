"""The bounds of what the service accepts: one place, so every input checks the same limits.

Dates outside the supported range would overflow date arithmetic (periods are extended by a
year for comparisons, weeks are cut at Mondays), and money past ``MAX_CENTS`` could overflow
64-bit sums once multiplied by quantities and added over millions of orders.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

MIN_DATE = date(1970, 1, 1)
"""The earliest calendar date any input (a date range, an order date) may name."""
MAX_DATE = date(2999, 12, 31)
"""The latest calendar date any input may name."""
MIN_TIME = datetime(MIN_DATE.year, MIN_DATE.month, MIN_DATE.day, tzinfo=UTC)
MAX_TIME = datetime(MAX_DATE.year, MAX_DATE.month, MAX_DATE.day, 23, 59, 59, tzinfo=UTC)

MAX_CENTS = 10**12
"""Largest single money amount (a price, a discount, a line or order total): 10 billion."""
MAX_QUANTITY = 1_000_000
"""Largest quantity of one order line."""
MAX_STOCK = 1_000_000_000
"""Largest stock level or reorder level of a product (stored as a 32-bit integer)."""
MAX_ORDER_LINES = 1_000
"""Most lines in one order."""

MAX_BULK_ORDERS = 1_000
"""Most orders in one ``createOrders`` call."""

MAX_BULK_LINES = 10_000
"""Most lines across the orders of one ``createOrders`` call: at about 60 bytes a line in
JSON, a full call stays under the 1 MiB request body limit (``SHOPX_MAX_BODY_BYTES``)."""

MAX_EMAIL = 254
"""Longest email address (RFC 5321's path limit), for customers, reps and users alike."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
"""A plausible address: something, one @, a domain with a dot; no spaces."""
