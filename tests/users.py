"""Dashboard users for tests, written through the domain as ``shopx user`` writes them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shopx.auth import Role
from shopx.auth.users import create_user, disable_user
from shopx.db.engine import create_engine, session_factory
from shopx.db.writes import bookkeeping_session

PASSWORD = "correct horse battery"


@asynccontextmanager
async def writing(url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(url, pool_size=1)
    try:
        async with bookkeeping_session(session_factory(engine)) as session:
            yield session
    finally:
        await engine.dispose()


async def add_user(
    url: str, email: str, *, role: Role = Role.ANALYST, password: str = PASSWORD
) -> None:
    async with writing(url) as session:
        await create_user(session, email=email, role=role, password=password, now=datetime.now(UTC))


async def disable(url: str, email: str) -> None:
    async with writing(url) as session:
        await disable_user(session, email, now=datetime.now(UTC))
