"""The product rollups ranked by item sales: ``(month, status, item_sales_cents DESC,
product_id)`` on ``rollup_product_monthly`` and ``(year, ...)`` on ``rollup_product_yearly``,
so the best sellers of one month or year of one status are the first rows of an index
instead of a sort of every product's row.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANKED = (("rollup_product_monthly", "month"), ("rollup_product_yearly", "year"))


def _name(table: str, bucket: str) -> str:
    return f"ix_{table}_{bucket}_status_item_sales_cents"


def upgrade() -> None:
    for table, bucket in RANKED:
        columns = [bucket, "status", sa.text("item_sales_cents DESC"), "product_id"]
        op.create_index(_name(table, bucket), table, columns)


def downgrade() -> None:
    for table, bucket in RANKED:
        op.drop_index(_name(table, bucket), table_name=table)
