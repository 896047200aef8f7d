"""Distinct customers kept ahead: ``rollup_customer_gaps`` (customers per local day x status
x the day of their previous order of that status), filled from the orders already stored,
cut in the time zone the rollups are in.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from shopx.rollups.customer_days import rebuild_gaps

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rollup_customer_gaps",
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", "day", "since"),
    )
    conn = op.get_bind()
    zone = conn.execute(sa.text("SELECT rollup_timezone FROM data_version WHERE id = 1")).scalar()
    rebuild_gaps(conn, ZoneInfo(zone or "UTC"))


def downgrade() -> None:
    op.drop_table("rollup_customer_gaps")
