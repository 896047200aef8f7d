"""The rollups' item sales column is ``item_sales_cents`` (was ``item_revenue_cents``).

"Revenue" means net revenue (order totals after discount) everywhere; the column holds
item sales, quantity x unit price before order discounts, under the name the analytics
use for it. A plain column rename: SQLite (3.25 and later) and PostgreSQL rename in place,
keeping the rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "rollup_sales_daily",
    "rollup_rep_daily",
    "rollup_category_daily",
    "rollup_product_monthly",
)
"""Every rollup table: each sums the item sales of its order lines."""


def _rename(old: str, new: str) -> None:
    for table in TABLES:
        op.alter_column(table, old, new_column_name=new)


def upgrade() -> None:
    _rename("item_revenue_cents", "item_sales_cents")


def downgrade() -> None:
    _rename("item_sales_cents", "item_revenue_cents")
