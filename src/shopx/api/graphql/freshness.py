"""``extensions.dataAsOf``: when the newest write that a response reflects was committed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from shopx.api.graphql.context import Context
from shopx.auth import Permission
from shopx.cache.coalesce import AfterCall
from shopx.cache.responses import COUNTED
from shopx.db.data_version import DataVersion, WriteMarks
from shopx.db.engine import pool_timeout_is_unavailable
from shopx.errors import ShopXError


async def data_as_of(session: AsyncSession) -> datetime:
    return (
        await session.execute(select(DataVersion.updated_at).where(DataVersion.id == 1))
    ).scalar_one()


def shared_stamps(marks: WriteMarks) -> Callable[[], Awaitable[datetime]]:
    """The stamp of the last committed write, for an answer about to be computed.

    An answer the response cache computes has had the write counter read for it already
    (:data:`~shopx.cache.responses.COUNTED`): its stamp is that count's moment. Otherwise
    it is read by a query that started after the call (:class:`AfterCall`): the queries of
    a process that arrive while one read is under way share the next, instead of a round
    trip each (the cache misses after a burst of writes come all at once)."""
    read = AfterCall(marks.moment).result

    async def stamp() -> datetime:
        counted = COUNTED.get()
        known = marks.moment_of(counted) if counted is not None else None
        return known if known is not None else await read()

    return stamp


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
