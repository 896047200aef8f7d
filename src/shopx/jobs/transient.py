"""Which failures are worth a retry: the database or the broker could not be reached.

A job that failed on bad data or on a bug fails the same way when run again, so it is
recorded failed once. A job that failed because a connection was refused, dropped or timed
out may well succeed a little later; Celery retries those with backoff
(:mod:`shopx.jobs.celery_app`).
"""

from __future__ import annotations

import errno
import socket

from kombu.exceptions import OperationalError as BrokerUnreachable
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shopx.errors import Unavailable

_UNREACHABLE_ERRNOS = frozenset(
    {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT, errno.EHOSTDOWN, errno.ENETDOWN}
)
_CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
"""PostgreSQL: connection exceptions (class 08), server shutting down or starting up,
too many connections."""


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says a service was unreachable, not that the
    work itself is wrong."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _unreachable(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _unreachable(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionError | socket.gaierror | BrokerUnreachable):
        return True
    if isinstance(exc, DisconnectionError | PoolTimeout | Unavailable):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "pgcode", None) or getattr(exc.orig, "sqlstate", None)
        return isinstance(state, str) and state.startswith(_CONNECTION_SQLSTATES)
    return isinstance(exc, OSError) and exc.errno in _UNREACHABLE_ERRNOS
