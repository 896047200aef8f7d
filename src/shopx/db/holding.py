"""No task holds one database session while it waits for another.

A pool of N connections stalls when N tasks each hold a connection and wait for a second
one: nobody gives one back, every request of the process waits for the pool timeout and
then fails. That is what sixteen concurrent ``topProducts`` did when each loaded its
products through a DataLoader from inside its open session.

So the rule is enforced, not hoped for: every session the API, the jobs and the writers
open is opened inside :func:`one_session`, which marks the running task (a context
variable, so tasks started from inside inherit the mark) and refuses to open a second one
there with :class:`NestedSession`, a programming error that any test reaching the code
path catches. DataLoaders check :func:`check_free` when they are awaited, since their batch
may run in another task. Reading what a session needs, closing it, then loading more is
always possible.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_held: ContextVar[str | None] = ContextVar("shopx_session_held", default=None)


class NestedSession(RuntimeError):
    """A session (or a DataLoader) was asked for while the task already holds a session."""


def check_free(what: str) -> None:
    """Raise :class:`NestedSession` if this task holds a session."""
    held = _held.get()
    if held is not None:
        raise NestedSession(
            f"{what} asked for while {held} is open in the same task: close the session "
            "first (read what it needs, leave the block, then load the rest)"
        )


@contextmanager
def one_session(what: str) -> Iterator[None]:
    """Marks the task as holding ``what`` for the block; refused if it already holds one."""
    check_free(what)
    token = _held.set(what)
    try:
        yield
    finally:
        _held.reset(token)
