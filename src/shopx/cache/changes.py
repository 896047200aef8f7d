"""Committed writes as a stream of tag sets, for whoever wants to react (live updates).

:mod:`shopx.cache.freshness` feeds it with every invalidation it applies: the writes of
this process and, through Redis, those of every other instance. Listeners get their own
queue; a slow listener loses nothing but may see several tag sets at once, which is what
coalescing wants anyway.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Changes:
    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[frozenset[str]]] = set()

    def notify(self, tags: frozenset[str]) -> None:
        for queue in self._queues:
            queue.put_nowait(tags)

    @asynccontextmanager
    async def listen(self) -> AsyncIterator[asyncio.Queue[frozenset[str]]]:
        """A queue receiving the tags of every write from now until the block ends."""
        queue: asyncio.Queue[frozenset[str]] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    @property
    def listeners(self) -> int:
        return len(self._queues)
