"""Which database the bench points the API at, and how it gets data into it."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import StrEnum

import asyncpg
from sqlalchemy.engine import make_url

from shopx.bench.errors import BenchError
from shopx.config import Settings, async_database_url
from shopx.db.data_version import DataVersion
from shopx.db.models import Customer, Order, Product
from shopx.rollups.tables import (
    ROLLUP_TABLES,
    CustomerGaps,
    ProductYearly,
    SegmentTotals,
)

POSTGRES_URL_VARIABLE = "SHOPX_BENCH_POSTGRES_URL"
REDIS_URL_VARIABLE = "SHOPX_BENCH_REDIS_URL"
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopx_bench"


class Backend(StrEnum):
    sqlite = "sqlite"
    postgres = "postgres"


def database_url(backend: Backend) -> str:
    if backend is Backend.postgres:
        return async_database_url(os.environ.get(POSTGRES_URL_VARIABLE, DEFAULT_POSTGRES_URL))
    return Settings().effective_database_url


def server_env(backend: Backend, redis_url: str | None = None) -> dict[str, str]:
    """The environment for ``shopx`` subprocesses: ours, pointed at the backend's database
    and at ``redis_url`` (none: the in-process cache tier only, whatever ours says)."""
    env = dict(os.environ)
    env["SHOPX_DATABASE_URL"] = database_url(backend)
    env["SHOPX_REDIS_URL"] = redis_url or ""
    # Scenarios measure queries, not token handling; an explicit setting still wins.
    env.setdefault("SHOPX_ANONYMOUS_READS", "true")
    # The bench signs the tokens of scenarios that write with the server's key.
    env.setdefault("SHOPX_SECRET_KEY", secrets.token_urlsafe(32))
    # The load comes from one address and one token: the rate limit would measure itself.
    env.setdefault("SHOPX_RATE_LIMIT_ENABLED", "false")
    # Scheduled jobs (a catch-up run at startup) would write and drop cached answers mid-run.
    env.setdefault("SHOPX_SCHEDULER_ENABLED", "false")
    return env


def seed(backend: Backend, scale: str) -> None:
    """Migrate and seed the backend's database; a database seeded before is fine."""
    env = server_env(backend)
    if backend is Backend.postgres:
        asyncio.run(create_postgres_database(env["SHOPX_DATABASE_URL"]))
    _shopx(["init"], env)
    _shopx(["seed", "--scale", scale, "--if-empty"], env)


def vacuum_updated_tables(backend: Backend) -> None:
    """On PostgreSQL, VACUUM (ANALYZE) the tables order writes update in place (stock, the
    customers' statistics, every rollup, orders' status, the data version), before a
    scenario that writes.

    A run of the write scenarios leaves hundreds of thousands of dead row versions there
    (the storm's 50 products are updated by every batch). Until a vacuum removes them each
    update walks longer chains, so without one every run is measured on what the run
    before left behind: a server with autovacuum off (this machine's) slowed the lone
    writer from 12 to 16-20 ms per order over an afternoon of runs."""
    if backend is Backend.postgres:
        asyncio.run(_vacuum(database_url(backend)))


async def _vacuum(url: str) -> None:
    models = (Product, Customer, Order, DataVersion, SegmentTotals, *ROLLUP_TABLES)
    models += (ProductYearly, CustomerGaps)  # derived rollups, kept by the same writes
    tables = ", ".join(_quote_identifier(model.__tablename__) for model in models)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f"VACUUM (ANALYZE) {tables}")
    finally:
        await connection.close()


async def create_postgres_database(url: str) -> None:
    target = make_url(url)
    async with _postgres_admin(url) as connection:
        exists = await connection.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", target.database
        )
        if not exists:
            await connection.execute(f"CREATE DATABASE {_quote_identifier(target.database)}")


async def drop_postgres_database(url: str) -> None:
    """Drop the database ``url`` names (its sessions closed first); gone already is fine."""
    name = _quote_identifier(make_url(url).database)
    async with _postgres_admin(url) as connection:
        await connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def fresh_postgres_url(url: str, prefix: str) -> str:
    """A new database name on the server of ``url``: ``prefix`` and random hex digits."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@asynccontextmanager
async def _postgres_admin(url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the ``postgres`` database of the server ``url`` points at."""
    admin_dsn = make_url(url).set(drivername="postgresql", database="postgres")
    try:
        connection = await asyncpg.connect(admin_dsn.render_as_string(hide_password=False))
    except (OSError, asyncpg.PostgresError) as exc:
        shown = admin_dsn.render_as_string(hide_password=True)
        raise BenchError(f"cannot reach PostgreSQL at {shown}: {exc}") from exc
    try:
        yield connection
    finally:
        await connection.close()


def _quote_identifier(name: str | None) -> str:
    if not name:
        raise BenchError("the PostgreSQL bench URL names no database")
    return '"' + name.replace('"', '""') + '"'


def _shopx(args: list[str], env: dict[str, str]) -> None:
    """Run a ``shopx`` command in the foreground, so its own progress display shows."""
    code = subprocess.run([sys.executable, "-m", "shopx", *args], env=env, check=False).returncode
    if code != 0:
        raise BenchError(f"`shopx {' '.join(args)}` failed with exit code {code} (output above)")
