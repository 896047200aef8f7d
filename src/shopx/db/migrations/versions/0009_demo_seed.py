"""The seeded demo's record.

``demo_seed``: one row when ``shopx seed`` made this database's data (scale, random seed,
the seeding's moment, and the moment the demo's orders reach); none otherwise.
``demo_batches``: the runs of order ids the demo wrote (the seed's, then each extension's
by the ``demo-roll-forward`` job), so only demo orders are ever moved on by it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Id, UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "demo_seed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scale", sa.String(8), nullable=False),
        sa.Column("random_seed", sa.BigInteger(), nullable=False),
        sa.Column("seeded_until", UTCDateTime(), nullable=False),
        sa.Column("reached_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name="one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "demo_batches",
        sa.Column("id", Id, nullable=False),
        sa.Column("first_order_id", Id, nullable=False),
        sa.Column("last_order_id", Id, nullable=False),
        sa.Column("placed_from", UTCDateTime(), nullable=False),
        sa.Column("placed_before", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_demo_batches_first_order_id", "demo_batches", ["first_order_id"])


def downgrade() -> None:
    op.drop_table("demo_batches")
    op.drop_table("demo_seed")
