"""A product's items index covers what its sales read: on PostgreSQL,
``(product_id, ordered_at)`` also carries ``order_id``, ``quantity`` and the unit price and
cost (INCLUDE), so a few products' items over a period (a ranking's growth column, a
product's trend) are read from the index alone. SQLite keeps the two-column index.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_order_items_product_id_ordered_at"
COLUMNS = ["product_id", "ordered_at"]
INCLUDED = ["order_id", "quantity", "unit_price_cents", "unit_cost_cents"]


def _index(include: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="order_items")
    op.create_index(INDEX, "order_items", COLUMNS, postgresql_include=include)


def upgrade() -> None:
    _index(INCLUDED)


def downgrade() -> None:
    _index([])
