"""``extensions.dataAsOf``: when the newest write that a response reflects was committed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from shopx.db.rollup_tables import DataVersion


async def data_as_of(session: AsyncSession) -> datetime:
    return (
        await session.execute(select(DataVersion.updated_at).where(DataVersion.id == 1))
    ).scalar_one()


class DataAsOf(SchemaExtension):
    """Reads the data version before the resolvers run, so the stamp never overstates."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if self.execution_context.operation_type is OperationType.QUERY:
            async with context.read() as session:
                context.data_as_of = await data_as_of(session)
        yield

    def get_results(self) -> dict[str, Any]:
        stamp = self.execution_context.context.data_as_of
        return {"dataAsOf": stamp.isoformat()} if stamp else {}
