"""Shared fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL.

The schema is migrated once per session into a template (a SQLite file, or a
PostgreSQL database created for this session); each test gets a copy, dropped in the
background once the test is done; whatever else this session created is dropped at its end.
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import shutil
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
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
ADMIN_DSN = POSTGRES_ADMIN_URL.replace("+asyncpg", "")
BACKGROUND_DROPPERS = 2
"""Threads dropping finished tests' databases during a session (per pytest-xdist worker)."""
FINAL_DROPPERS = 8
"""Connections dropping a session's remaining databases at its end."""


def _pg_url(database: str, driver: str = "postgresql+asyncpg") -> str:
    base = POSTGRES_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0]
    return f"{driver}://{base}/{database}"


class PostgresDatabases:
    """Creates and drops the databases of one test session.

    Dropping is slow (each DROP DATABASE waits for a checkpoint; one by one, a full run's
    hundreds of databases took over a minute and a half at the session's end), so a test's
    own database is handed to :class:`Dropper` threads as the test ends, and the rest
    (templates, seeded shops) are dropped at the end over several connections at once:
    concurrent drops share a checkpoint."""

    def __init__(self) -> None:
        self.prefix = f"shopx_test_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []
        self._numbers = itertools.count()
        self._template: str | None = None
        self._dropper: Dropper | None = None

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(ADMIN_DSN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def create(self, *, template: str | None = None) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
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

    def drop_soon(self, name: str) -> None:
        """Drop ``name`` in the background; the caller is done with it."""
        if self._dropper is None:
            self._dropper = Dropper(BACKGROUND_DROPPERS)
        self.created.remove(name)
        self._dropper.drop(name)

    async def drop_all(self) -> None:
        if self._dropper is not None:
            await asyncio.to_thread(self._dropper.close)
        pending = list(self.created)  # popped from the end: copies before their templates

        def next_name() -> str | None:
            return pending.pop() if pending else None

        await asyncio.gather(
            *(_drop_until_none(next_name) for _ in range(min(FINAL_DROPPERS, len(pending))))
        )


async def _drop_until_none(next_name: Callable[[], str | None]) -> None:
    """Drop databases over one connection, as ``next_name`` names them, until it gives None."""
    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        while (name := next_name()) is not None:
            await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await conn.close()


class Dropper:
    """Threads that drop the databases they are handed while the tests go on."""

    def __init__(self, threads: int) -> None:
        self._names: queue.Queue[str | None] = queue.Queue()
        self._errors: list[BaseException] = []
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for thread in self._threads:
            thread.start()

    def _run(self) -> None:
        try:  # the thread's own event loop: waiting on the queue blocks nothing else
            asyncio.run(_drop_until_none(self._names.get))
        except BaseException as exc:
            self._errors.append(exc)

    def drop(self, name: str) -> None:
        self._names.put(name)

    def close(self) -> None:
        """Wait for every database handed over so far to be dropped."""
        for _ in self._threads:
            self._names.put(None)
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise self._errors[0]


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
) -> AsyncIterator[str]:
    """A URL to a brand-new database with no tables."""
    if dialect == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    name = await postgres_databases.create()
    yield _pg_url(name)
    postgres_databases.drop_soon(name)


@pytest.fixture
async def database_url(
    dialect: str,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_databases: PostgresDatabases,
) -> AsyncIterator[str]:
    """A URL to a fresh database migrated to the current schema, private to this test."""
    if dialect == "sqlite":
        path = tmp_path / "shopx.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = await postgres_databases.migrated()
    yield _pg_url(name)
    postgres_databases.drop_soon(name)


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
) -> AsyncIterator[str]:
    """A private, writable copy of a seeded shop: UTC, or the time zone given as the
    fixture's parameter (``indirect=True``)."""
    timezone = getattr(request, "param", "UTC")
    url = await seeded_shops.get(dialect, timezone)
    if dialect == "sqlite":
        path = tmp_path / "copy.db"
        shutil.copyfile(url.split("///", 1)[1], path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = await postgres_databases.create(template=url.rsplit("/", 1)[1])
    yield _pg_url(name)
    postgres_databases.drop_soon(name)


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
