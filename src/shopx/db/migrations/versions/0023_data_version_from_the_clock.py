"""The write counter of a database starts at the moment its schema is made, in
microseconds since 1970, instead of at 0, and so never runs backwards from one database
to the next at the same address.

A shared answer in Redis is fresh while it was computed at the current counter or later
(:mod:`shopx.cache.remote`). A database dropped and made again under the same URL (the
bench's reseed, a test shop, ``createdb`` after ``dropdb``) started counting from 0 again,
so every answer the old one left in Redis looked fresh until its TTL ran out: 595 stale
reads in 595 checks of ``shopx bench --scenarios writes_only`` on a reseeded database.
Now the new database's counter starts past any the old one can have reached (it would
take more writes than microseconds went by between the two). Existing databases move
forward once, which makes their cached answers stale once.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01
"""

import time
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    data_version = sa.table("data_version", sa.column("id"), sa.column("version"))
    since_1970 = time.time_ns() // 1_000
    op.execute(
        data_version.update()
        .where(data_version.c.id == 1)
        .values(version=data_version.c.version + since_1970)
    )


def downgrade() -> None:
    """Nothing to undo: a counter that only grows stays correct."""
