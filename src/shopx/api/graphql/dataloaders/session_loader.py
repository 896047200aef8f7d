"""The base of every DataLoader: batches read through the request's sessions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from shopx.db.holding import check_free

K = TypeVar("K")
R = TypeVar("R")

Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]
"""Opens one short session: the request's ``Context.read``."""


class SessionLoader(DataLoader[K, R], Generic[K, R]):
    """Its batches open sessions through ``sessions`` (the request's slots and one-session
    rule), and it refuses to be awaited from a task that holds a session: the batch would
    need a second connection while the caller keeps its first (see
    :mod:`shopx.db.holding`)."""

    def __init__(self, sessions: Sessions) -> None:
        super().__init__(load_fn=self._load)
        self._sessions = sessions

    def load(self, key: K) -> Awaitable[R]:
        check_free(f"{type(self).__name__}.load")
        return super().load(key)

    async def _load(self, keys: list[K]) -> list[R]:
        raise NotImplementedError
