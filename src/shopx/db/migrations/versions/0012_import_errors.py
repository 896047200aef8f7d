"""Every row error of an import, and the imports' heartbeat.

``import_errors``: one row per row error of an import (line, column, value, reason), all of
them (the stored report keeps the first 100), read back in line order for
``GET /api/v1/imports/{id}/errors.csv``; they go with their import. ``imports.updated_at``:
touched by each committed batch, so an import whose process died is told by its silence.
Rows from before this revision take their latest known time.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Id, UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: SQLite cannot add a column whose default is not a constant.
    op.add_column("imports", sa.Column("updated_at", UTCDateTime(), nullable=True))
    op.execute("UPDATE imports SET updated_at = COALESCE(finished_at, started_at, created_at)")
    op.create_table(
        "import_errors",
        sa.Column("id", Id, nullable=False),
        sa.Column("import_id", Id, nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(64), nullable=True),
        sa.Column("value", sa.String(200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_errors_import_id_line", "import_errors", ["import_id", "line"])


def downgrade() -> None:
    op.drop_table("import_errors")
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("updated_at")
