"""What every resolver gets: settings, sessions, the caller, per-request DataLoaders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.fastapi import BaseContext

from shopx.auth import Permission, Principal, authorize
from shopx.cache.runtime import CacheRuntime
from shopx.cache.tags import written_tags
from shopx.config import Settings
from shopx.errors import ShopXError

if TYPE_CHECKING:
    from shopx.api.graphql.loaders import Loaders


@dataclass
class Context(BaseContext):
    settings: Settings
    read_sessions: async_sessionmaker[AsyncSession]
    write_sessions: async_sessionmaker[AsyncSession]
    caller: Principal
    now: datetime
    cache: CacheRuntime
    caller_error: ShopXError | None = None
    data_as_of: datetime | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        super().__init__()
        from shopx.api.graphql.loaders import Loaders

        self.loaders = Loaders(self.read_sessions)

    def require(self, permission: Permission) -> Principal:
        """The one access check: raises UNAUTHENTICATED or FORBIDDEN, else returns the caller."""
        if self.caller_error is not None:
            raise self.caller_error
        authorize(self.caller, permission, anonymous_reads=self.settings.anonymous_reads)
        return self.caller

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A short read session. Sibling resolvers run concurrently, so each opens its own."""
        async with self.read_sessions() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A write transaction on the primary: commits on success, rolls back on any error.

        Once it has committed, the tags of what it wrote are invalidated on every instance
        before the block returns, so the mutation's response leaves only after that.
        """
        async with self.write_sessions() as session:
            async with session.begin():
                yield session
            await self.cache.written(written_tags(session.sync_session))
