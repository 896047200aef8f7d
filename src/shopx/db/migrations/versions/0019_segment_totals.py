"""Customers, lifetime value and orders per segment kept ahead: ``customer_segment_totals``,
moved by triggers on ``customers`` (:mod:`shopx.rollups.segment_totals`) and filled from
the customers there now.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Cents
from shopx.rollups.segment_totals import (
    drop_triggers,
    install_triggers,
    rebuild_segment_totals,
)

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_segment_totals",
        sa.Column("segment", sa.String(16), nullable=False),
        sa.Column("customers", sa.BigInteger(), nullable=False),
        sa.Column("lifetime_value_cents", Cents, nullable=False),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("segment"),
    )
    conn = op.get_bind()
    install_triggers(conn)
    rebuild_segment_totals(conn)


def downgrade() -> None:
    drop_triggers(op.get_bind())
    op.drop_table("customer_segment_totals")
