"""Dialect differences, kept in one place."""

from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


def backend(bind: AsyncEngine | AsyncConnection | Connection) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return bind.dialect.name


def is_postgres(bind: AsyncEngine | AsyncConnection | Connection) -> bool:
    return backend(bind) == "postgresql"
