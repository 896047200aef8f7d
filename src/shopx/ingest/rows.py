"""What parsing a sales file hands the importer: one :class:`SaleRow` per good line and one
:class:`RowError` per problem, each pointing at the physical line of the file.

The parser (:mod:`shopx.ingest.parse`) decides everything that depends on the file (encoding,
delimiter, header names, date order, decimal style, the business time zone of dates without
a time); the importer (:mod:`shopx.ingest.load`) decides everything that depends on the
database (which product, customer, rep and order a row belongs to, whether it was imported
before). Money is integer cents; times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from shopx.db.models import OrderStatus


class SaleRow(NamedTuple):
    """One good line of a sales file: a line of an order (a named tuple: an import makes
    millions, and one is made, and sent to another process, several times faster than a
    frozen dataclass)."""

    line: int
    """The physical line (1 is the header) where the record starts."""
    ordered_at: datetime
    """UTC; a date without a time is the start of that day in the business time zone."""
    product_name: str
    """Trimmed, inner runs of spaces kept as in the file."""
    amount_cents: int
    """The line total; positive (a refund row's amount is given as its absolute value)."""
    quantity: int
    """At least 1; 1 when the file has no quantity."""
    unit_price_cents: int
    """From the file, or the amount divided by the quantity (rounded half to even)."""
    status: OrderStatus = OrderStatus.COMPLETED
    order_id: str | None = None
    """The file's order reference: rows sharing it form one order."""
    customer_id: str | None = None
    """The file's customer reference (``Customer.external_id``)."""
    customer_email: str | None = None
    """Lower-cased."""
    customer_name: str | None = None
    category: str | None = None
    sales_rep: str | None = None
    region: str | None = None
    payment_mode: str | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """Why a line was not imported."""

    line: int
    column: str | None
    """The contract's column name (``amount``), or None for the whole line."""
    value: str | None
    """The offending text as the file has it (cut to 200 characters)."""
    reason: str
