from __future__ import annotations

from contextlib import asynccontextmanager

import httpx
import pytest

from shopx.api.app import create_app
from shopx.config import Settings
from tests.api import NO_DASHBOARD_BUILD
from tests.services import BROKER_URL, REDIS_URL, need

DEAD_REDIS = "redis://127.0.0.1:1/0"


@asynccontextmanager
async def client_for(settings: Settings):
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_health_is_cheap_and_timed(database_url):
    async with client_for(Settings(database_url=database_url)) as client:
        response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert float(response.headers["x-process-time"]) >= 0


async def test_ready_in_embedded_mode_reports_database_and_unconfigured_services(database_url):
    async with client_for(Settings(database_url=database_url)) as client:
        response = await client.get("/ready")
    body = response.json()
    assert response.status_code == 200
    assert body["checks"]["database"]["status"] == "ok"
    # SQLite: one engine; PostgreSQL: the reads' own pool, probed on its own.
    read = "same as database" if database_url.startswith("sqlite") else "ok"
    assert body["checks"]["database_read"]["status"] == read
    assert body["checks"]["redis"] == {"status": "not configured"}
    assert body["checks"]["broker"] == {"status": "not configured"}


async def test_ready_reports_redis_and_rabbitmq_when_configured(database_url):
    need("Redis", REDIS_URL)
    need("RabbitMQ", BROKER_URL)
    settings = Settings(database_url=database_url, redis_url=REDIS_URL, broker_url=BROKER_URL)
    async with client_for(settings) as client:
        response = await client.get("/ready")
    checks = response.json()["checks"]
    assert response.status_code == 200
    assert checks["redis"]["status"] == "ok"
    assert checks["broker"] == {"status": "ok", "transport": "amqp"}


async def test_ready_is_503_when_a_configured_service_is_down(database_url):
    settings = Settings(database_url=database_url, redis_url=DEAD_REDIS)
    async with client_for(settings) as client:
        response = await client.get("/ready")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.parametrize("dialect", ["postgres"], indirect=True)  # a replica is PostgreSQL's
async def test_ready_is_503_when_the_read_replica_is_down(database_url):
    """Analytics reads go to the replica: an instance that cannot reach it is not ready,
    though it reaches the primary."""
    gone = "postgresql+asyncpg://postgres@127.0.0.1:1/gone"
    async with client_for(Settings(database_url=database_url, database_read_url=gone)) as client:
        response = await client.get("/ready")
    checks = response.json()["checks"]
    assert response.status_code == 503
    assert checks["database"]["status"] == "ok"
    assert checks["database_read"]["status"] == "down"


async def test_large_bodies_are_gzipped(database_url):
    # No dashboard build: its catch-all route would answer /_big with index.html.
    app = create_app(Settings(database_url=database_url, dashboard_dir=NO_DASHBOARD_BUILD))

    @app.get("/_big")
    async def big() -> dict[str, str]:
        return {"text": "x" * 5000}

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/_big", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["text"] == "x" * 5000


def test_settle_heap_hides_startup_objects_from_the_collector():
    import gc

    from shopx.api.app import YOUNG_GC_THRESHOLD, settle_heap

    before = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_GC_THRESHOLD, *before[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
