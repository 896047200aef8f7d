"""Per-request DataLoaders. Each is created with the request's context and dies with it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


class Loaders:
    """Holds every DataLoader of one request (never shared between requests or callers)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
