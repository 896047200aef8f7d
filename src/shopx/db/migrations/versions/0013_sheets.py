"""Google Sheets registered for sync.

``sheets``: one row per registered sheet, a CSV export URL or a spreadsheet key and worksheet
with the service account's JSON sealed (never stored in the clear), and the import of its
last sync.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Id, UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sheets",
        sa.Column("id", Id, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(2048), nullable=False),
        sa.Column("csv_url", sa.Text(), nullable=True),
        sa.Column("spreadsheet_key", sa.String(200), nullable=True),
        sa.Column("worksheet", sa.String(200), nullable=True),
        sa.Column("sealed_credentials", sa.LargeBinary(), nullable=True),
        sa.Column("date_order", sa.String(3), nullable=True),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("last_synced_at", UTCDateTime(), nullable=True),
        sa.Column("last_import_id", Id, nullable=True),
        sa.CheckConstraint("kind IN ('csv_url','service_account')", name="kind_known"),
        sa.CheckConstraint("date_order IN ('DMY','MDY')", name="date_order_known"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source"),
    )


def downgrade() -> None:
    op.drop_table("sheets")
