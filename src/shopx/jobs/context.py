"""What a job runs over and what it returns: the two types every job module needs.

They live apart from :mod:`shopx.jobs.registry` so that a job in a module of its own can
use them while the registry imports that module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings


@dataclass(frozen=True)
class JobContext:
    """What a job runs over: the database, the settings, the cache machinery (None when no
    cache is to be told), and the moment the run started."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    cache: CacheRuntime | None
    now: datetime


@dataclass(frozen=True)
class JobResult:
    rows: int
    detail: str = ""
