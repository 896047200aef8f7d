"""Sharing one run of an async function among the callers that may share it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class AfterCall(Generic[T]):
    """Runs ``work`` on behalf of callers; each caller gets the result of a run that
    *started after it called*.

    That is what a reader of the database's write counter needs (an older read could miss a
    write committed just before the call), and what a writer refreshing an answer needs (an
    older computation could miss its commit). Callers arriving while a run is under way wait
    for the next run, which starts as soon as that one ends, so under load one run serves
    every caller that arrived during the previous one.
    """

    def __init__(self, work: Callable[[], Awaitable[T]]) -> None:
        self._work = work
        self._next: asyncio.Future[T] | None = None
        self._running = False
        self._task: asyncio.Task[None] | None = None
        """Held so that the loop, which keeps tasks only weakly, cannot lose the run."""

    async def result(self) -> T:
        return await asyncio.shield(self.soon())

    def soon(self) -> asyncio.Future[T]:
        """Ask for a run that starts after this call without waiting for it: its result."""
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            if not self._running:
                self._running = True
                self._task = asyncio.get_running_loop().create_task(self._run_for_waiters())
        return self._next

    def cancel(self) -> None:
        """Stop the run under way, if any (its waiters are cancelled)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()

    @property
    def idle(self) -> bool:
        return not self._running

    async def _run_for_waiters(self) -> None:
        try:
            while self._next is not None:
                waiting, self._next = self._next, None  # later callers wait for the next run
                try:
                    waiting.set_result(await self._work())
                except Exception as exc:
                    waiting.set_exception(exc)
                    waiting.exception()  # retrieved here; each waiter re-raises it
                except BaseException:  # cancelled: the waiters must not wait for ever
                    waiting.cancel()
                    raise
        finally:
            self._running = False
            if self._next is not None:  # arrived during a run that was cancelled
                self._next.cancel()
                self._next = None


class Batches(Generic[T, R]):
    """Runs ``work`` on a batch of the items callers hand in, one batch at a time: a
    caller arriving while a batch is under way waits for the next, which takes every item
    that arrived meanwhile (at most ``max_size``). Alone, an item is worked on at once; under
    load each run serves everyone who came during the one before (group commit).

    ``work`` returns one result per item, in order. When a batch of several fails as a
    whole, each of its items is run again on its own, so one item's failure is only its
    own; unless ``work`` raised :class:`Unretried`, whose error every item gets. A caller
    cancelled before its batch is taken is left out of it.
    """

    def __init__(self, work: Callable[[list[T]], Awaitable[list[R]]], *, max_size: int) -> None:
        self._work = work
        self._max_size = max_size
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._task: asyncio.Task[None] | None = None
        self.runs = 0
        """Batches run so far (for the metrics and the tests)."""

    async def result(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run_while_waiting())
        return await future

    async def _run_while_waiting(self) -> None:
        try:
            while self._waiting:
                taken = [entry for entry in self._waiting[: self._max_size] if not entry[1].done()]
                del self._waiting[: self._max_size]
                if taken:
                    await self._run(taken)
        finally:
            self._task = None
            for _, future in self._waiting:  # cancelled while items waited: nobody waits for ever
                future.cancel()
            self._waiting.clear()

    async def _run(self, taken: list[tuple[T, asyncio.Future[R]]]) -> None:
        self.runs += 1
        try:
            results = await self._work([item for item, _ in taken])
        except Unretried as unretried:
            for _, future in taken:
                _settle(future, unretried.error)
            return
        except Exception as exc:
            if len(taken) == 1:
                _settle(taken[0][1], exc)
                return
            for entry in taken:
                await self._run([entry])
            return
        except BaseException:
            for _, future in taken:
                future.cancel()
            raise
        for (_, future), result in zip(taken, results, strict=True):
            if not future.done():
                future.set_result(result)


class Unretried(Exception):
    """Raised by a batch's work that must not run again (its effects may have happened,
    as when a transaction's commit failed or failed to answer): each item gets ``error``."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _settle(future: asyncio.Future[R], exc: Exception) -> None:
    if not future.done():
        future.set_exception(exc)
