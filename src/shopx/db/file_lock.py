"""Writers of one SQLite file in several processes take turns through an OS file lock."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

_WAITERS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="shopx-file-lock")
"""Threads that wait for file locks, apart from the loop's default executor: a holder that
needs a default-executor thread (a DNS lookup, say) must never find them all waiting."""


@asynccontextmanager
async def held_file_lock(path: Path) -> AsyncIterator[None]:
    """An exclusive ``flock`` on ``path`` (created if missing) for the block.

    SQLite's own wait for its write lock polls, sleeping up to 100 ms between tries, so
    the writers queued in one process kept taking the lock back from a waiting process,
    whose writes then waited far longer. The kernel hands a file lock over as soon as its
    holder lets go. The wait runs in a worker thread; a waiter cancelled meanwhile lets
    go of the lock as soon as that thread gets it. One thread waits per engine and process
    (writers of one engine queue on its writer lock first).
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    waiting = asyncio.get_running_loop().run_in_executor(_WAITERS, fcntl.flock, fd, fcntl.LOCK_EX)
    try:
        await asyncio.shield(waiting)
    except BaseException:
        waiting.add_done_callback(lambda _: os.close(fd))
        raise
    try:
        yield
    finally:
        os.close(fd)
