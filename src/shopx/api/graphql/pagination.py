"""Connections: one page of a list as GraphQL edges, with its cursor and total count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Select, func

from shopx.api.graphql.context import Context
from shopx.api.graphql.keyset import SortKey, page_size
from shopx.api.graphql.types.page_info import PageInfo

NodeType = TypeVar("NodeType")
Row = TypeVar("Row")


@strawberry.type
class Edge(Generic[NodeType]):
    cursor: str
    node: NodeType


@strawberry.type(description="One page of a list; `first` (at most 100) and `after` move on.")
class Connection(Generic[NodeType]):
    edges: list[Edge[NodeType]]
    page_info: PageInfo
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Size of the whole filtered list, not just this page.")
    async def total_count(self) -> int:
        return await self.counter()


def connection(
    rows: Sequence[Row],
    size: int,
    sort: SortKey,
    node: Callable[[Row], NodeType],
    counter: Callable[[], Awaitable[int]],
) -> Connection[NodeType]:
    """A page from up to ``size + 1`` sorted rows (the extra row only says there is more)."""
    edges = [Edge(cursor=sort.cursor(row), node=node(row)) for row in rows[:size]]
    info = PageInfo(has_next_page=len(rows) > size, end_cursor=edges[-1].cursor if edges else None)
    return Connection(edges=edges, page_info=info, counter=counter)


async def paginate(
    context: Context,
    query: Select[tuple[Row]],
    sort: SortKey,
    node: Callable[[Row], NodeType],
    *,
    first: int,
    after: str | None,
    count: Select[Any] | None = None,
) -> Connection[NodeType]:
    """One page of the entities ``query`` selects; totalCount is counted only when asked for.

    ``count`` is a query for the size of the whole list, when there is a cheaper one than
    counting the rows of ``query``.
    """
    size = page_size(first)
    page = query.order_by(*sort.order_by()).limit(size + 1)
    if after is not None:
        page = page.where(sort.after(sort.position(after)))
    async with context.read() as session:
        rows = (await session.scalars(page)).all()
    return connection(rows, size, sort, node, lambda: count_rows(context, query, count))


async def count_rows(context: Context, query: Select[Any], count: Select[Any] | None = None) -> int:
    """The rows ``query`` selects, counted by ``count`` when given."""
    if count is None:
        count = query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    async with context.read() as session:
        return int((await session.execute(count)).scalar_one())
