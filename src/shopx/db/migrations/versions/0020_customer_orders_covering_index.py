"""A customer's orders index covers their status: ``(customer_id, ordered_at)`` becomes
``(customer_id, ordered_at, status)``, so "has this customer an order of this status in this
range" is answered from the index alone (an index-only scan on PostgreSQL, a covering index
on SQLite). It is asked once per customer at a span's partial-day edges (distinct customers)
and by every order write (the customers' days).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NARROW = "ix_orders_customer_id_ordered_at"
COVERING = "ix_orders_customer_id_ordered_at_status"


def upgrade() -> None:
    op.create_index(COVERING, "orders", ["customer_id", "ordered_at", "status"])
    op.drop_index(NARROW, table_name="orders")


def downgrade() -> None:
    op.create_index(NARROW, "orders", ["customer_id", "ordered_at"])
    op.drop_index(COVERING, table_name="orders")
