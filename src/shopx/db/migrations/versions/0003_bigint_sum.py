"""An integer sum aggregate for PostgreSQL: ``bigint_sum(bigint) -> bigint``.

PostgreSQL's ``sum(bigint)`` returns ``numeric`` and keeps a 128-bit state allocated per
group, which made ranking 90k products over a year's rollup rows twice as slow. This one
keeps a plain ``bigint`` state through ``int8pl``: integer arithmetic only, and an overflow
raises "bigint out of range" instead of wrapping. SQLite's ``sum`` of integers already works
this way.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE AGGREGATE bigint_sum(bigint) "
            "(SFUNC = int8pl, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP AGGREGATE bigint_sum(bigint)")
