"""Alerts and reports.

``alerts``: low-stock and job-failure alerts, at most one open per kind and subject (a
partial unique index on both databases), with when each opened, closed and was sent.
``reports``: one stored summary per kind (daily, weekly, monthly) and period, its figures
as JSON, rendered to HTML and CSV on download.
``job_runs.outcome`` gains ``queued``: a run sent to a Celery worker that has not started.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Id, UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OUTCOMES = "'running','succeeded','failed','skipped','timed_out'"


def _outcomes(known: str) -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_constraint("outcome_known", type_="check")
        batch.create_check_constraint("outcome_known", f"outcome IN ({known})")


def upgrade() -> None:
    _outcomes(f"'queued',{OUTCOMES}")
    op.create_table(
        "alerts",
        sa.Column("id", Id, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("product_id", Id, nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("notified_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('low_stock','job_failed')", name="kind_known"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alerts_product_id", "alerts", ["product_id"])
    op.create_index("ix_alerts_opened_at", "alerts", ["opened_at"])
    op.create_index(
        "uq_alerts_open_kind_subject",
        "alerts",
        ["kind", "subject"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_table(
        "reports",
        sa.Column("id", Id, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('daily','weekly','monthly')", name="kind_known"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_reports_kind_period_start", "reports", ["kind", "period_start"], unique=True
    )


def downgrade() -> None:
    op.drop_table("reports")
    op.drop_table("alerts")
    op.execute("DELETE FROM job_runs WHERE outcome = 'queued'")
    _outcomes(OUTCOMES)
