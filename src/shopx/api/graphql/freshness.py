"""``extensions.dataAsOf``: when the newest write that a response reflects was committed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from shopx.api.graphql.context import Context
from shopx.auth import Permission
from shopx.cache.coalesce import AfterCall
from shopx.db.data_version import DataVersion
from shopx.db.engine import pool_timeout_is_unavailable
from shopx.errors import ShopXError


async def data_as_of(session: AsyncSession) -> datetime:
    return (
        await session.execute(select(DataVersion.updated_at).where(DataVersion.id == 1))
    ).scalar_one()


def shared_stamps(sessions: async_sessionmaker[AsyncSession]) -> Callable[[], Awaitable[datetime]]:
    """The stamp of the last committed write, read by a query that started after the call
    (:class:`AfterCall`): the queries of a process that arrive while one read is under way
    share the next, instead of a session and a round trip each (the cache misses after a
    burst of writes come all at once)."""

    async def read() -> datetime:
        async with sessions() as session:
            return await data_as_of(session)

    return AfterCall(read).result


class DataAsOf(SchemaExtension):
    """Reads the data version before the resolvers run, so the stamp never overstates.

    Only callers who may read get it: when the data last changed is itself data.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        query = self.execution_context.operation_type is OperationType.QUERY
        if query and _may_read(context):
            with pool_timeout_is_unavailable():
                context.data_as_of = await context.data_stamp()
        yield

    def get_results(self) -> dict[str, Any]:
        stamp = self.execution_context.context.data_as_of
        return {"dataAsOf": stamp.isoformat()} if stamp else {}


def _may_read(context: Context) -> bool:
    try:
        context.require(Permission.DASHBOARD_READ)
    except ShopXError:
        return False
    return True
