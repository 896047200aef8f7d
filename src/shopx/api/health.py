"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from kombu import Connection
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.api.responses import OrjsonResponse
from shopx.config import Settings

router = APIRouter(tags=["health"])

CHECK_TIMEOUT = 2.0
HEALTH_BODY = b'{"status":"ok"}'
HEALTHY = ("ok", "not configured", "same as database")


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_engines_dep(request: Request) -> tuple[AsyncEngine, AsyncEngine]:
    """The primary's engine, and the engine analytics reads go through (the same one on an
    embedded SQLite file; on PostgreSQL a pool of its own, or the read replica's)."""
    return request.app.state.engine, request.app.state.read_engine


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
EnginesDep = Annotated[tuple[AsyncEngine, AsyncEngine], Depends(get_engines_dep)]


@router.get("/health")
async def health() -> OrjsonResponse:
    """Liveness: the process answers. Touches nothing else."""
    return OrjsonResponse({"status": "ok"})


@router.get("/ready")
async def ready(settings: SettingsDep, engines: EnginesDep) -> OrjsonResponse:
    """Readiness: the database, the reads' database, Redis and the broker, each reported.

    ``database_read`` is where analytics reads go: the read replica when one is set
    (``SHOPX_DATABASE_READ_URL``), else the primary through its own pool on PostgreSQL, or
    the one embedded engine (``same as database``). Redis and the broker show ``not
    configured`` in embedded mode; the answer is 503 when anything configured is down: an
    instance whose replica is gone can write but not answer a dashboard.
    """
    engine, read_engine = engines
    database, database_read, redis, broker = await asyncio.gather(
        _check(_database(engine)),
        _check(_database(read_engine)) if read_engine is not engine else _same_as_database(),
        _check(_redis(settings.redis_url)) if settings.redis_url else _not_configured(),
        _check(_broker(settings.broker_url)) if settings.broker_url else _not_configured(),
    )
    if settings.database_read_url and database_read["status"] == "ok":
        database_read["replica"] = True
    checks = {
        "database": database,
        "database_read": database_read,
        "redis": redis,
        "broker": broker,
    }
    ok = all(check["status"] in HEALTHY for check in checks.values())
    return OrjsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503
    )


async def _not_configured() -> dict[str, Any]:
    return {"status": "not configured"}


async def _same_as_database() -> dict[str, Any]:
    return {"status": "same as database"}


async def _check(probe: Any) -> dict[str, Any]:
    try:
        detail = await asyncio.wait_for(probe, CHECK_TIMEOUT)
    except TimeoutError:
        return {"status": "down", "error": f"no answer within {CHECK_TIMEOUT:g}s"}
    except Exception as exc:
        return {"status": "down", "error": f"{type(exc).__name__}: {exc}"}
    return {"status": "ok", **detail}


async def _database(engine: AsyncEngine) -> dict[str, Any]:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return {"backend": engine.dialect.name}


async def _redis(url: str) -> dict[str, Any]:
    client = Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return {}


async def _broker(url: str) -> dict[str, Any]:
    if url.startswith(("redis://", "rediss://")):
        return await _redis(url)

    def connect() -> None:
        with Connection(url, connect_timeout=CHECK_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT)

    await asyncio.to_thread(connect)
    return {"transport": url.split("://", 1)[0]}
