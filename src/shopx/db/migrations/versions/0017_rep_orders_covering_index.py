"""The sales reps' orders index covers their customers: ``(sales_rep_id, ordered_at)`` becomes
``(sales_rep_id, ordered_at, status, customer_id)``, so a rep's distinct customers over a
period are counted from the index alone (an index-only scan on PostgreSQL, a covering index
on SQLite) instead of one table row per order.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NARROW = "ix_orders_sales_rep_id_ordered_at"
COVERING = "ix_orders_sales_rep_id_ordered_at_status_customer_id"


def upgrade() -> None:
    columns = ["sales_rep_id", "ordered_at", "status", "customer_id"]
    op.create_index(COVERING, "orders", columns)
    op.drop_index(NARROW, table_name="orders")


def downgrade() -> None:
    op.create_index(NARROW, "orders", ["sales_rep_id", "ordered_at"])
    op.drop_index(COVERING, table_name="orders")
