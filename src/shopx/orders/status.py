"""The order status machine of the API contract, and which statuses hold stock.

PENDING -> PROCESSING -> COMPLETED -> REFUNDED, PENDING/PROCESSING -> CANCELLED, and
PENDING -> COMPLETED for shops without a processing step. Nothing else, not even a
move to the same status.
"""

from __future__ import annotations

from shopx.db.models import OrderStatus
from shopx.errors import BadInput

PENDING = OrderStatus.PENDING
PROCESSING = OrderStatus.PROCESSING
COMPLETED = OrderStatus.COMPLETED
CANCELLED = OrderStatus.CANCELLED
REFUNDED = OrderStatus.REFUNDED

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    PENDING: frozenset({PROCESSING, COMPLETED, CANCELLED}),
    PROCESSING: frozenset({COMPLETED, CANCELLED}),
    COMPLETED: frozenset({REFUNDED}),
    CANCELLED: frozenset(),
    REFUNDED: frozenset(),
}

HOLDS_STOCK = frozenset({PENDING, PROCESSING, COMPLETED})
"""An order in these statuses has taken its items from stock; leaving them gives them back."""


def check_transition(current: str, target: str) -> None:
    """Raise BAD_USER_INPUT naming both statuses unless ``current -> target`` is allowed."""
    allowed = TRANSITIONS[OrderStatus(current)]
    if OrderStatus(target) in allowed:
        return
    options = ", ".join(sorted(allowed)) if allowed else f"nothing: {current} is final"
    raise BadInput(
        f"status: an order cannot go from {current} to {target} (allowed from {current}: {options})"
    )


def releases_stock(current: str, target: str) -> bool:
    return current in HOLDS_STOCK and target not in HOLDS_STOCK
