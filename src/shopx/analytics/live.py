"""Live figures: recompute an answer whenever committed writes touched orders.

Writes come in bursts (an import, a checkout touching several orders, a status sweep), so
pushes are coalesced: the first order write opens a burst, each further order write keeps
it open for another :data:`QUIET` seconds, and the burst closes when the writes pause for
that long or :data:`LONGEST` seconds after its first write, whichever comes first. One
answer is computed when the burst closes, so it sees every write of the burst. Writes that
land while it is being computed wait in the queue and open the next burst at once: nothing
is lost, and a steady stream of writes yields one answer per :data:`LONGEST` seconds plus
the time to compute it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from shopx.cache.changes import Changes
from shopx.cache.tags import ORDERS

QUIET = 0.05
"""Seconds without an order write after which a burst has settled."""
LONGEST = 0.25
"""Seconds after a burst's first order write when it closes even if writes keep coming."""

T = TypeVar("T")


async def refreshed(
    changes: Changes,
    compute: Callable[[], Awaitable[T]],
    *,
    quiet: float = QUIET,
    longest: float = LONGEST,
) -> AsyncIterator[T]:
    """``compute()`` now, then again after every burst of writes that touched orders.

    Listening starts before the first answer is computed, so a write that commits while
    it is computed still produces the next one.
    """
    async with changes.listen() as queue:
        yield await compute()
        while True:
            await burst(queue, quiet=quiet, longest=longest)
            yield await compute()


async def burst(
    queue: asyncio.Queue[frozenset[str]], *, quiet: float = QUIET, longest: float = LONGEST
) -> None:
    """Return once a burst of order writes has closed; other writes are skipped."""
    while ORDERS not in await queue.get():
        pass
    clock = asyncio.get_running_loop().time
    deadline = clock() + longest
    settled = clock() + quiet
    while (wait := min(settled, deadline) - clock()) > 0:
        try:
            tags = await asyncio.wait_for(queue.get(), wait)
        except TimeoutError:
            return
        if ORDERS in tags:
            settled = clock() + quiet
