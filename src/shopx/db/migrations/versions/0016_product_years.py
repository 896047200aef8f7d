"""Item sales per local year x status x product: ``rollup_product_yearly``, derived from
the monthly product rollup already stored.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Cents, Id
from shopx.rollups.product_years import rebuild_years

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rollup_product_yearly",
        sa.Column("year", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("product_id", Id, nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", Cents, nullable=False),
        sa.Column("item_sales_cents", Cents, nullable=False),
        sa.Column("cost_cents", Cents, nullable=False),
        sa.PrimaryKeyConstraint("year", "status", "product_id"),
    )
    op.create_index(
        "ix_rollup_product_yearly_product_id_year", "rollup_product_yearly", ["product_id", "year"]
    )
    rebuild_years(op.get_bind())


def downgrade() -> None:
    op.drop_table("rollup_product_yearly")
