"""Orders per quarter of an hour x status (``rollup_sales_quarter_hourly``), filled from the
orders there now: a span's partial days are read from it a quarter at a time instead of
from every raw order and item of those hours.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Cents
from shopx.rollups.rebuild import quarter_hours_source
from shopx.rollups.tables import SalesQuarterHourly, key_columns, measures_of

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "rollup_sales_quarter_hourly"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("quarter_hour", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", Cents, nullable=False),
        sa.Column("item_sales_cents", Cents, nullable=False),
        sa.Column("cost_cents", Cents, nullable=False),
        sa.Column("discount_cents", Cents, nullable=False),
        sa.Column("revenue_cents", Cents, nullable=False),
        sa.PrimaryKeyConstraint("quarter_hour", "status"),
    )
    conn = op.get_bind()
    table = SalesQuarterHourly.__table__
    columns = [*key_columns(table), *measures_of(table)]
    conn.execute(table.insert().from_select(columns, quarter_hours_source(conn.dialect)))


def downgrade() -> None:
    op.drop_table(TABLE)
