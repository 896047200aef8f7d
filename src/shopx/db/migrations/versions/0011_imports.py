"""Imports of sales files and the keys that make them idempotent.

``imports``: one row per import (upload, CLI, sheet sync) with its state, counts, percent
and final report. ``import_keys``: the fingerprint of every row (and order reference) an
import wrote, unique, so importing the same rows again adds nothing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Id, UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", Id, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("state", sa.String(16), server_default="queued", nullable=False),
        sa.Column("dry_run", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("rows_read", sa.Integer(), server_default="0", nullable=False),
        sa.Column("rows_imported", sa.Integer(), server_default="0", nullable=False),
        sa.Column("rows_skipped", sa.Integer(), server_default="0", nullable=False),
        sa.Column("rows_failed", sa.Integer(), server_default="0", nullable=False),
        sa.Column("percent", sa.Float(), server_default="0", nullable=False),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("source IN ('upload','cli','sheet')", name="source_known"),
        sa.CheckConstraint(
            "state IN ('queued','running','succeeded','failed')", name="state_known"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_imports_sha256", "imports", ["sha256"])
    op.create_index("ix_imports_created_at", "imports", ["created_at"])
    op.create_table(
        "import_keys",
        sa.Column("fingerprint", sa.LargeBinary(16), nullable=False),
        sa.Column("order_id", Id, nullable=False),
        sa.Column("import_id", Id, nullable=True),
        sa.PrimaryKeyConstraint("fingerprint"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("import_keys")
    op.drop_table("imports")
