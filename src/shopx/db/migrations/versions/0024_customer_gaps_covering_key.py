"""The customers' days are summed from their key alone: on PostgreSQL the primary key of
``rollup_customer_gaps`` also carries ``customers`` (INCLUDE), so the distinct customers
of a span (a sum over its days' rows) are an index-only scan instead of a visit to a heap
page per few rows (at scale L, a month's 7.5k rows were spread over 2k pages: 10.8 ms
against 1.4 ms). SQLite keeps the plain key.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "rollup_customer_gaps"
KEY = "pk_rollup_customer_gaps"


def _key(include: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER TABLE {TABLE} DROP CONSTRAINT {KEY},"
        f" ADD CONSTRAINT {KEY} PRIMARY KEY (status, day, since){include}"
    )


def upgrade() -> None:
    _key(" INCLUDE (customers)")


def downgrade() -> None:
    _key("")
