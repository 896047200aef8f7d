"""Password hashes: argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile: 3 passes
over 64 MiB, 4 lanes), never the password itself.

Hashing costs about a tenth of a second of CPU and 64 MiB, on purpose. It runs on a small
pool of its own threads (:data:`HASHING_THREADS`), so that the event loop keeps serving
while it works and a burst of sign-ins queues there instead of taking every core and
gigabytes of memory. The queue is short (:data:`MAX_WAITING`): past it a hash is refused at
once with SERVICE_UNAVAILABLE, since a sign-in that waits behind two hundred others takes
half a minute, and the client is better told to retry.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shopx.errors import BadInput, Unavailable

MIN_PASSWORD = 8
"""Shortest password a user may be given."""
MAX_PASSWORD = 1024
"""Longest password accepted anywhere (creating a user, signing in)."""
HASHING_THREADS = 2
MAX_WAITING = 32
"""Hashes that may wait for a thread; more are refused."""
BUSY = "too many sign-ins at once; retry in a second"

T = TypeVar("T")


class HashingQueue:
    """The hashing threads and the hashes waiting for them, at most ``limit`` in all.

    A hash counts until its thread is done with it, even when the caller gave up waiting:
    the work goes on, so it still takes its place."""

    def __init__(self, threads: int, limit: int) -> None:
        self.limit = limit
        self.pending = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="shopx-argon2")

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """``work(*args)`` on a hashing thread; SERVICE_UNAVAILABLE when the queue is full."""
        with self._lock:
            if self.pending >= self.limit:
                raise Unavailable(BUSY)
            self.pending += 1
        try:
            future = self._pool.submit(work, *args)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return await asyncio.wrap_future(future)

    def _done(self, _: Future[object] | None) -> None:
        with self._lock:
            self.pending -= 1


HASHING = HashingQueue(HASHING_THREADS, HASHING_THREADS + MAX_WAITING)


class Passwords:
    """Hashes and checks passwords with one set of argon2id parameters."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()

    @cached_property
    def _dummy(self) -> str:
        """A hash of nothing anyone knows, checked when there is no user, so that an unknown
        email costs the same time as a wrong password."""
        return self.hasher.hash("no user has this password")

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Does ``password`` match ``stored``? Without a stored hash the work is done all the
        same (against a dummy hash) and the answer is no."""
        try:
            return self.hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """Was ``stored`` made with other parameters than the ones in force?"""
        try:
            return self.hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True


PASSWORDS = Passwords()
"""The process's hasher (tests may put a cheaper one in its place)."""


def check_new_password(password: str) -> str:
    """A password a user may be given, else BAD_USER_INPUT saying why."""
    if not password:
        raise BadInput("the password is empty")
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise BadInput(f"the password must have at most {MAX_PASSWORD} characters")
    return password


async def hash_password(password: str) -> str:
    """The argon2id hash of ``password``, computed off the event loop (:data:`HASHING`)."""
    return await HASHING.run(PASSWORDS.hash, password)


async def verify_password(stored: str | None, password: str) -> bool:
    """:meth:`Passwords.verify`, off the event loop (:data:`HASHING`)."""
    return await HASHING.run(PASSWORDS.verify, stored, password)
