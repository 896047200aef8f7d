"""Shared fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL.

The schema is migrated once per session into a template (a SQLite file, or a
PostgreSQL database created for this session); each test gets a copy, and every
database this session created is dropped at the end.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.auth import passwords
from shopx.auth.passwords import Passwords
from shopx.config import Settings
from shopx.db.engine import create_engine
from shopx.db.migrate import upgrade_async
from shopx.jobs.refresh import full_refresh
from shopx.seed import SCALES, seed_database
from tests.services import POSTGRES_ADMIN_URL, need

DIALECTS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
DROPPERS = 8
"""Connections dropping a session's databases at its end (per pytest-xdist worker)."""


def _pg_url(database: str, driver: str = "postgresql+asyncpg") -> str:
    base = POSTGRES_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0]
    return f"{driver}://{base}/{database}"


class PostgresDatabases:
    """Creates and drops the databases of one test session."""

    def __init__(self) -> None:
        self.prefix = f"shopx_test_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []
        self._template: str | None = None

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("+asyncpg", ""))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def create(self, *, template: str | None = None) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        clause = f" TEMPLATE {template}" if template else ""
        await self._admin(f"CREATE DATABASE {name}{clause}")
        self.created.append(name)
        return name

    async def migrated(self) -> str:
        """A fresh database at the head revision (cloned from the session's template)."""
        if self._template is None:
            self._template = await self.create()
            await upgrade_async(_pg_url(self._template))
        return await self.create(template=self._template)

    async def drop_all(self) -> None:
        """Drop them over a few connections at once: each DROP DATABASE waits for a
        checkpoint, and concurrent drops share one (one by one, a full run's hundreds of
        databases took over a minute and a half)."""
        pending = list(self.created)  # popped from the end: copies before their templates

        async def dropper() -> None:
            conn = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("+asyncpg", ""))
            try:
                while pending:
                    await conn.execute(f"DROP DATABASE IF EXISTS {pending.pop()} WITH (FORCE)")
            finally:
                await conn.close()

        if pending:
            await asyncio.gather(*(dropper() for _ in range(min(DROPPERS, len(pending)))))


@pytest.fixture(scope="session")
async def postgres_databases() -> AsyncIterator[PostgresDatabases]:
    databases = PostgresDatabases()
    yield databases
    await databases.drop_all()


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "shopx.db"
    await upgrade_async(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        need("PostgreSQL", POSTGRES_ADMIN_URL)
    return request.param


@pytest.fixture
async def empty_database_url(
    dialect: str, tmp_path: Path, postgres_databases: PostgresDatabases
) -> str:
    """A URL to a brand-new database with no tables."""
    if dialect == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    return _pg_url(await postgres_databases.create())


@pytest.fixture
async def database_url(
    dialect: str,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_databases: PostgresDatabases,
) -> str:
    """A URL to a fresh database migrated to the current schema, private to this test."""
    if dialect == "sqlite":
        path = tmp_path / "shopx.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    return _pg_url(await postgres_databases.migrated())


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Isolate settings from the developer's environment and ``.env``."""
    import os

    for key in list(os.environ):
        if key.startswith("SHOPX_") and not key.startswith(("SHOPX_TEST_", "SHOPX_REQUIRE_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHOPX_DATA_DIR", str(tmp_path / "data"))
    from shopx.config import get_settings

    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


SEED_TODAY = date(2026, 11, 21)
"""Seeded shops hold two years of orders up to this date (exclusive)."""
SEED_NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
"""The request clock for tests on seeded shops: mid-day, with later orders to leave out."""
QUIET_NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
"""A clock after the last seeded order: running periods end in a quiet tail that the
service reads as whole rollup days and months (at SEED_NOW later orders force raw reads)."""
CLOCKS = pytest.mark.parametrize("now", [SEED_NOW, QUIET_NOW], ids=["busy-tail", "quiet-tail"])


class SeededShops:
    """One seeded database per (dialect, time zone), made on first use, read-only after."""

    def __init__(self, tmp: Path, postgres: PostgresDatabases) -> None:
        self.tmp, self.postgres, self.urls = tmp, postgres, {}

    async def get(self, dialect: str, timezone: str) -> str:
        key = (dialect, timezone)
        if key not in self.urls:
            if dialect == "sqlite":
                url = f"sqlite+aiosqlite:///{self.tmp / f'seeded-{len(self.urls)}.db'}"
                await upgrade_async(url)
            else:
                url = _pg_url(await self.postgres.migrated())
            engine = create_engine(url, pool_size=2)
            try:
                await seed_database(
                    engine,
                    SCALES["S"],
                    random_seed=7,
                    today=SEED_TODAY,
                    timezone=ZoneInfo(timezone),
                )
                await full_refresh(engine, Settings(timezone=timezone), now=SEED_NOW)
            finally:
                await engine.dispose()
            self.urls[key] = url
        return self.urls[key]

    async def copy(self, dialect: str, timezone: str, folder: Path) -> str:
        """A private, writable copy of the seeded shop of (dialect, time zone)."""
        url = await self.get(dialect, timezone)
        if dialect == "sqlite":
            path = folder / "seeded-copy.db"
            shutil.copyfile(url.split("///", 1)[1], path)
            return f"sqlite+aiosqlite:///{path}"
        return _pg_url(await self.postgres.create(template=url.rsplit("/", 1)[1]))


@pytest.fixture(scope="session")
async def seeded_shops(
    tmp_path_factory: pytest.TempPathFactory, postgres_databases: PostgresDatabases
) -> SeededShops:
    return SeededShops(tmp_path_factory.mktemp("seeded"), postgres_databases)


@pytest.fixture
async def seeded_url(dialect: str, seeded_shops: SeededShops) -> str:
    """A database seeded at scale S with rollups cut in UTC. Read it; never write to it."""
    return await seeded_shops.get(dialect, "UTC")


@pytest.fixture
async def shop_copy(
    dialect: str,
    seeded_shops: SeededShops,
    postgres_databases: PostgresDatabases,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> str:
    """A private, writable copy of a seeded shop: UTC, or the time zone given as the
    fixture's parameter (``indirect=True``)."""
    timezone = getattr(request, "param", "UTC")
    url = await seeded_shops.get(dialect, timezone)
    if dialect == "sqlite":
        path = tmp_path / "copy.db"
        shutil.copyfile(url.split("///", 1)[1], path)
        return f"sqlite+aiosqlite:///{path}"
    template = url.rsplit("/", 1)[1]
    return _pg_url(await postgres_databases.create(template=template))


@pytest.fixture
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the least work (one pass over 1 MiB) instead of the default's 64 MiB:
    the same kind of hash, checked the same way, a hundred times faster. Tests that look at
    the hash's parameters leave this out."""
    monkeypatch.setattr(
        passwords,
        "PASSWORDS",
        Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)),
    )
