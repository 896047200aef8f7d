"""Sharing one run of an async function among the callers that may share it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


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
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            if not self._running:
                self._running = True
                self._task = asyncio.get_running_loop().create_task(self._run_for_waiters())
        return await asyncio.shield(self._next)

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
