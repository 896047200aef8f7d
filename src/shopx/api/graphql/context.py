"""What every resolver gets: settings, sessions, the caller, per-request DataLoaders.

Sessions, and why a request can neither stall the pool nor take all of it:

- A task never holds one session while it waits for another (:mod:`shopx.db.holding`):
  :meth:`Context.read`, :meth:`Context.write` and every DataLoader refuse with
  ``NestedSession`` when the task already holds a session. Hold-and-wait is what turned
  sixteen concurrent ``topProducts`` into a pool-wide stall; refusing it by construction,
  rather than reusing the held session, keeps sibling resolvers concurrent and makes a
  violation fail in the first test that reaches it instead of under load.
- One request holds at most ``db_sessions_per_request`` sessions at once (a semaphore per
  request): a document of two hundred aliases waits for its own slots instead of taking
  the whole pool from every other request. With no session held while waiting, the slots
  cannot deadlock either, and a session waits for the pool only behind queries already
  running.
- A pool that has no connection free within ``db_pool_timeout`` seconds fails the session
  with SERVICE_UNAVAILABLE, not an anonymous internal error.
- Writes take their turn (:func:`shopx.cache.runtime.writing`): one writer per database
  and process, the write lock taken up front, so a write waits for another instead of
  failing; the written tags are published after the session has closed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from strawberry.fastapi import BaseContext

from shopx.api.graphql.loaders import Loaders
from shopx.auth import Permission, Principal, authorize
from shopx.cache.runtime import CacheRuntime, writing
from shopx.config import Settings
from shopx.db.engine import pool_timeout_is_unavailable
from shopx.db.holding import one_session
from shopx.errors import ShopXError, Unauthenticated
from shopx.orders.desk import OrderDesk


@dataclass
class Context(BaseContext):
    settings: Settings
    read_sessions: async_sessionmaker[AsyncSession]
    write_sessions: async_sessionmaker[AsyncSession]
    caller: Principal
    now: datetime
    cache: CacheRuntime
    orders: OrderDesk
    """Where this process's new orders are written together (group commit)."""
    data_stamp: Callable[[], Awaitable[datetime]]
    """When the last write committed, read after the call (``extensions.dataAsOf``)."""
    caller_error: ShopXError | None = None
    data_as_of: datetime | None = None
    loaders: Loaders = field(init=False)
    slots: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        super().__init__()
        self.slots = asyncio.Semaphore(self.settings.db_sessions_per_request)
        self.loaders = Loaders(self.read)

    def for_operation(self, now: datetime) -> Context:
        """The context of one operation of a WebSocket connection (this one's): its own
        ``now``, DataLoaders and ``data_as_of``, so that an operation sees the data and the
        time of when it runs, not of when the connection began. The caller, the request and
        the connection's bound on sessions at once (``slots``) are the connection's."""
        operation = replace(self, now=now, data_as_of=None)
        operation.request, operation.response = self.request, self.response
        operation.background_tasks, operation.connection_params = (
            self.background_tasks,
            self.connection_params,
        )
        operation.slots = self.slots
        return operation

    @property
    def engine(self) -> AsyncEngine:
        """The primary's engine, which ``write_sessions`` bind to (background jobs run on it)."""
        return self.write_sessions.kw["bind"]

    def require(self, permission: Permission) -> Principal:
        """The one access check: raises UNAUTHENTICATED or FORBIDDEN, else returns the caller.

        A WebSocket connection keeps its context, and so its caller, for as long as it stays
        open: the token's expiry is checked on every operation (against the wall clock, as
        the token's signature check does), not only when the connection began."""
        if self.caller_error is not None:
            raise self.caller_error
        if not self.caller.valid_at(time.time()):
            raise Unauthenticated("the token has expired")
        authorize(self.caller, permission, anonymous_reads=self.settings.anonymous_reads)
        return self.caller

    @asynccontextmanager
    async def read(self, *, primary: bool = False) -> AsyncIterator[AsyncSession]:
        """A short read session (on the primary when asked: a replica may lag). Sibling
        resolvers run concurrently, so each opens its own, within the request's slots;
        never while the task holds another (module doc)."""
        sessions = self.write_sessions if primary else self.read_sessions
        with one_session("a read session"), pool_timeout_is_unavailable():
            async with self.slots, sessions() as session:
                yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A write transaction on the primary: commits on success, rolls back on any error.

        Once it has committed, the tags of what it wrote are invalidated on every instance
        before the block returns, so the mutation's response leaves only after that.
        """
        with pool_timeout_is_unavailable():
            async with writing(self.write_sessions, self.now, self.cache) as session:
                yield session
