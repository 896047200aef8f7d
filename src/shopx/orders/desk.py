"""Where a process's new orders queue to be written together (group commit).

Each write transaction costs its round trips, its commit (a flush to disk) and, once
committed, an invalidation that every instance acknowledges. A shop's burst of orders,
written one transaction each, queues on those; written as batches, it pays them once per
batch. The desk hands every order that arrives while a batch is being written to the next
batch, which :func:`shopx.orders.service.create_orders` writes in one transaction: each
order is still checked and applied all or nothing on its own, and its caller gets its
order or its error. An order alone is written at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shopx.analytics.reporting import ReportingRules
from shopx.cache.coalesce import Batches, Unretried
from shopx.cache.runtime import CacheRuntime, writing
from shopx.db.models import Order
from shopx.errors import ShopXError, Unavailable
from shopx.orders.service import NewOrder, create_orders

log = logging.getLogger(__name__)

MAX_BATCH = 200
"""Orders per write transaction at most: a batch holds the stock rows it takes until it
commits, so it stays short."""
MAX_BATCH_LINES = 4_000
"""Lines per write transaction of a bulk call at most (with :data:`MAX_BATCH` orders): a
1,000-order call written whole held the writer's turn for seconds."""

Placed = Order | ShopXError


class OrderDesk:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cache: CacheRuntime | None,
        rules: ReportingRules,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessions, self._cache, self._rules, self._clock = sessions, cache, rules, clock
        self._batches: Batches[NewOrder, Placed] = Batches(self._batch, max_size=MAX_BATCH)

    async def place(self, new: NewOrder) -> Order:
        """Write one order with whatever else is waiting: the order, or its error raised."""
        placed = await self._batches.result(new)
        if isinstance(placed, ShopXError):
            raise placed
        return placed

    async def place_all(self, news: Sequence[NewOrder]) -> list[Placed]:
        """Write many orders (a bulk mutation), each on its own terms, in their order: in
        parts of a transaction each, so that other writes wait for a part, not the whole.

        A part that fails as a whole raises when it is the first; after parts that were
        placed, it and the parts after it get an error each instead (the answer must say
        which orders were placed)."""
        placed: list[Placed] = []
        for number, part in enumerate(_parts(news)):
            written = _Progress()
            try:
                placed.extend(await self._write(part, written))
            except Exception as exc:
                if number == 0:
                    raise
                log.exception("a part of a bulk call of orders failed; the rest is not written")
                left = len(news) - len(placed)
                placed.extend(_unwritten(written.committing, exc, len(part), left))
                break
        return placed

    @property
    def batches(self) -> int:
        """Transactions the desk has run for :meth:`place` so far."""
        return self._batches.runs

    async def _batch(self, news: list[NewOrder]) -> list[Placed]:
        """:meth:`_write` for :class:`Batches`, which writes a failed batch again order by
        order: not once the transaction has reached its commit, which may have happened
        (orders twice, their stock taken twice), nor when no connection came free in time
        (no order's fault: each would wait the whole timeout again)."""
        written = _Progress()
        try:
            return await self._write(news, written)
        except PoolTimeout as exc:
            raise Unretried(exc) from exc
        except Exception as exc:
            if written.committing:
                raise Unretried(exc) from exc
            raise

    async def _write(self, news: list[NewOrder], written: _Progress | None = None) -> list[Placed]:
        """One write transaction for ``news``; when none of them can be placed, it rolls
        back (a refusal changes nothing, not even the data version)."""
        now = self._clock()
        try:
            # The statements are by key or over arrays: generic plans from the start.
            async with writing(self._sessions, now, self._cache, generic=True) as session:
                placed = await create_orders(session, news, rules=self._rules, now=now)
                if all(isinstance(result, ShopXError) for result in placed):
                    raise _NonePlaced(placed)
                if written is not None:
                    written.committing = True
        except _NonePlaced as refused:
            return refused.results
        return placed


def _unwritten(committing: bool, exc: Exception, size: int, left: int) -> list[Placed]:
    """The errors of the ``left`` orders not known to be placed once a part of ``size``
    (the first of them) failed, before its commit or at it (``committing``)."""
    failure = type(exc).__name__
    if committing:
        unsure: Placed = ShopXError(
            f"the database failed ({failure}) as this order's part of the call committed:"
            " it may have been placed; look before sending it again"
        )
    else:
        unsure = Unavailable(
            f"not written: the database failed ({failure}) while writing this order's part"
            " of the call; send it again"
        )
    skipped = Unavailable(
        "not written: the database failed while writing an earlier part of the call; send it again"
    )
    return [unsure] * size + [skipped] * (left - size)


def _parts(news: Sequence[NewOrder]) -> list[list[NewOrder]]:
    """``news`` cut in order into runs of at most MAX_BATCH orders and MAX_BATCH_LINES lines
    (an order of more lines is a run of its own)."""
    parts: list[list[NewOrder]] = []
    lines = 0
    for new in news:
        if not parts or len(parts[-1]) == MAX_BATCH or lines + len(new.lines) > MAX_BATCH_LINES:
            parts.append([])
            lines = 0
        parts[-1].append(new)
        lines += len(new.lines)
    return parts


class _Progress:
    committing = False
    """The transaction's work is done: it commits (or has), then invalidates."""


class _NonePlaced(Exception):
    def __init__(self, results: list[Placed]) -> None:
        super().__init__("no order could be placed")
        self.results = results
