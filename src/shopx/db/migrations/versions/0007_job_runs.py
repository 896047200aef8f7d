"""Background job runs.

``job_runs``: one row per run of a job (see :mod:`shopx.jobs.registry`): the job's name,
what started it (schedule, manual, event), when it started and finished, its duration in
milliseconds, its outcome (running, succeeded, failed, skipped, timed_out), the rows it
touched, the error of a failed run (truncated) and a short detail. A plain table on both
databases, read newest first per job.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Id, UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("id", Id, nullable=False),
        sa.Column("job", sa.String(64), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.CheckConstraint("trigger IN ('schedule','manual','event')", name="trigger_known"),
        sa.CheckConstraint(
            "outcome IN ('running','succeeded','failed','skipped','timed_out')",
            name="outcome_known",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_job_runs_job_started_at", "job_runs", ["job", "started_at"])


def downgrade() -> None:
    op.drop_table("job_runs")
