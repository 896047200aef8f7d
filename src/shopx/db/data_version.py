"""The data version: one row counting committed write transactions.

:mod:`shopx.db.writes` bumps it first in every write transaction, and the response cache
reads it to tell whether an answer is still fresh. The row also records the business time
zone the rollups were cut in, so a change of that setting is seen to need a rebuild.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import String, bindparam, case, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from shopx.db.columns import Cents, UTCDateTime
from shopx.db.models import Base


class DataVersion(Base):
    """One row: bumped by every committed write, so readers can say how fresh they are. The
    counter starts at the moment the schema was made (migration 0023), so a database made
    again at the same address counts past the one before; a restored backup's counts are
    behind, until :func:`move_past_the_clock` (``shopx cache clear``)."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Cents, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rollup_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    """The business time zone the rollups were cut in; a different setting needs a rebuild."""


async def mark_written(session: AsyncSession | AsyncConnection, now: datetime) -> None:
    """Record that data changed: :mod:`shopx.db.writes` does it first in every write
    transaction (services never call it). Sent on the connection: the ORM's execution of
    an UPDATE costs more than the statement, and nothing is pending to flush before it."""
    conn = session if isinstance(session, AsyncConnection) else await session.connection()
    await conn.execute(MARK_WRITTEN, {"now": now})


MARK_WRITTEN = (
    update(DataVersion)
    .where(DataVersion.id == 1)
    .values(version=DataVersion.version + 1, updated_at=bindparam("now"))
)
"""Built once: every write transaction runs it."""


async def move_past_the_clock(session: AsyncSession | AsyncConnection) -> None:
    """Move the counter to the clock (microseconds since 1970) when it is behind, in a write
    transaction: every count stamped before is behind it then, including those of a
    database whose backup this one was restored from (clearing every cached answer)."""
    floor = time.time_ns() // 1_000
    await session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(version=case((DataVersion.version < floor, floor), else_=DataVersion.version))
    )


async def data_version(session: AsyncSession) -> int:
    """How many write transactions have committed (the counter :func:`mark_written` bumps)."""
    query = select(DataVersion.version).where(DataVersion.id == 1)
    return int((await session.execute(query)).scalar_one_or_none() or 0)


class Written(NamedTuple):
    """The write counter and when the write it counts committed, read together."""

    version: int
    at: datetime


READ_WRITTEN = select(DataVersion.version, DataVersion.updated_at).where(DataVersion.id == 1)
"""Built once: read before every computed answer."""


class WriteMarks:
    """Reads the counter and its moment together, on a plain connection of ``engine`` (one
    round trip, no ORM session), and remembers the moment of the counts it read lately.

    An answer is computed against the count read before it (the response cache's stamp), so
    its ``dataAsOf`` is that count's moment (:meth:`moment_of`), not a second read."""

    REMEMBERED = 256

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._moments: dict[int, datetime] = {}

    async def read(self) -> Written:
        async with self._engine.connect() as conn:
            version, at = (await conn.execute(READ_WRITTEN)).one()
        if version not in self._moments:
            if len(self._moments) >= self.REMEMBERED:
                del self._moments[next(iter(self._moments))]
            self._moments[version] = at
        return Written(int(version), at)

    async def version(self) -> int:
        return (await self.read()).version

    async def moment(self) -> datetime:
        return (await self.read()).at

    def moment_of(self, version: int) -> datetime | None:
        """When the write counted ``version`` committed, if a read here saw that count."""
        return self._moments.get(version)
