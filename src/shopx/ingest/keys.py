"""Natural keys of imported rows: what makes importing the same rows twice add nothing.

A row of an order (it has an ``order_id``) is known by the order reference, the line's
values (product name ignoring case, quantity, unit price, amount, status) and its
occurrence among identical lines of that order, so an order that really has the same line
twice keeps both. A row without an order reference is known by all its normalized values
(time, product, quantity, unit price, amount, status, the customer it names, rep, region,
payment mode) and its occurrence among identical rows of the same import. An order
reference is known by itself (:func:`order_fingerprint`), to find the order that an earlier
batch or import created for it.

A fingerprint is the 16-byte BLAKE2b digest of those values: stored in
``import_keys`` with a unique key, so a fingerprint is written once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import lru_cache

from shopx.ingest.rows import SaleRow

FINGERPRINT_BYTES = 16
SEPARATOR = "\x1f"


@lru_cache(maxsize=65_536)
def fold(text: str | None) -> str:
    """A name as it is matched: trimmed, inner runs of spaces made one, case folded."""
    return " ".join(text.split()).casefold() if text else ""


def _digest(*parts: object) -> bytes:
    text = SEPARATOR.join(["" if part is None else str(part) for part in parts])
    return hashlib.blake2b(text.encode(), digest_size=FINGERPRINT_BYTES).digest()


def order_fingerprint(order_ref: str) -> bytes:
    return _digest("order", order_ref)


def customer_identity(row: SaleRow) -> tuple[str, str]:
    """Who a row names (issue 12: by customer_id, else email, else name; the kind first),
    ``("", "")`` when it names nobody."""
    if row.customer_id:
        return ("id", row.customer_id.strip())
    if row.customer_email:
        return ("email", row.customer_email.strip().lower())
    if row.customer_name and row.customer_name.strip():
        return ("name", fold(row.customer_name))
    return ("", "")


def line_values(row: SaleRow) -> tuple[object, ...]:
    return (
        fold(row.product_name),
        row.quantity,
        row.unit_price_cents,
        row.amount_cents,
        str(row.status),
    )


def line_fingerprint(row: SaleRow, occurrence: int) -> bytes:
    """The key of a row of the order ``row.order_id``: its ``occurrence``-th identical line."""
    return _digest("line", row.order_id, *line_values(row), occurrence)


def row_fingerprint(row: SaleRow, occurrence: int) -> bytes:
    """The key of a row without an order reference (the module doc)."""
    return _digest(
        "row",
        row.ordered_at.isoformat(),
        *line_values(row),
        *customer_identity(row),
        fold(row.sales_rep),
        fold(row.region),
        fold(row.payment_mode),
        occurrence,
    )


class Occurrences:
    """Counts identical rows without an order reference over one import, so the second of
    two identical rows gets its own key (8 bytes of memory per distinct row plus the set's
    overhead: about 70 MB for a million rows without an order reference)."""

    def __init__(self) -> None:
        self._seen: set[int] = set()
        self._repeats: Counter[int] = Counter()

    def key(self, row: SaleRow) -> bytes:
        """The fingerprint of ``row``, counting the identical rows before it."""
        first = row_fingerprint(row, 0)
        base = int.from_bytes(first[:8], "big")
        if base not in self._seen:
            self._seen.add(base)
            return first
        self._repeats[base] += 1
        return row_fingerprint(row, self._repeats[base])
