"""The record that a database holds the seeded demo, written by ``shopx seed`` only.

A database never seeded has none, and the demo job leaves it alone. Data a user writes
into a seeded demo keeps it a demo: the record stays until ``shopx seed --force`` seeds it
again (a new record); the job extends the demo around the user's rows, never moving them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import DemoBatch, DemoSeed


async def record_seeding(
    session: AsyncSession,
    *,
    scale: str,
    random_seed: int,
    start: datetime,
    until: datetime,
    orders: int,
) -> None:
    """This database now holds the demo seeded with ``scale`` and ``random_seed`` up to
    ``until``: its ``orders`` orders are ids 1 to ``orders``, placed from ``start``."""
    await session.execute(delete(DemoBatch))
    await session.execute(delete(DemoSeed))
    await session.execute(
        insert(DemoSeed).values(
            id=1, scale=scale, random_seed=random_seed, seeded_until=until, reached_at=until
        )
    )
    await add_batch(session, 1, orders, start, until)


async def add_batch(
    session: AsyncSession, first: int, last: int, start: datetime, end: datetime
) -> None:
    await session.execute(
        insert(DemoBatch).values(
            first_order_id=first, last_order_id=last, placed_from=start, placed_before=end
        )
    )


async def demo_record(session: AsyncSession) -> DemoSeed | None:
    """The demo's record, None in a database that does not hold the seeded demo."""
    return await session.scalar(select(DemoSeed).where(DemoSeed.id == 1))
