"""Password hashes: argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile: 3 passes
over 64 MiB, 4 lanes), never the password itself.

Hashing costs about a tenth of a second of CPU and 64 MiB, on purpose. It runs on a small
pool of its own threads (:data:`HASHING_THREADS`), so that the event loop keeps serving
while it works and a burst of sign-ins queues there instead of taking every core and
gigabytes of memory.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shopx.errors import BadInput

MIN_PASSWORD = 8
"""Shortest password a user may be given."""
MAX_PASSWORD = 1024
"""Longest password accepted anywhere (creating a user, signing in)."""
HASHING_THREADS = 2

_pool = ThreadPoolExecutor(max_workers=HASHING_THREADS, thread_name_prefix="shopx-argon2")


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
    """The argon2id hash of ``password``, computed off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_pool, PASSWORDS.hash, password)


async def verify_password(stored: str | None, password: str) -> bool:
    """:meth:`Passwords.verify`, off the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, PASSWORDS.verify, stored, password)
