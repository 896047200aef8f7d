"""``GET /metrics``: requests by operation and route, cache events, SQL timings.

The registry is the process's, shared with every other test: each test reads a value
before and after and checks the difference.
"""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from shopx import observability
from shopx.api.metrics import (
    OPERATION_SCOPE_KEY,
    MetricsMiddleware,
    OperationNames,
    RouteTemplates,
)
from shopx.db.engine import create_engine
from tests.api import ApiClient, api_client

NAMED = "query FirstProduct { products(first: 1) { totalCount } }"
ANONYMOUS = "{ products(first: 1) { totalCount } }"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(client: ApiClient) -> Samples:
    response = await client.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def requests_moved(before: Samples, after: Samples, kind: str) -> dict[str, float]:
    """Operation label to how many more requests of ``kind`` it counts."""
    moved = {}
    for (name, labels), value in after.items():
        label = dict(labels)
        if name == "shopx_requests_total" and label["kind"] == kind:
            delta = value - before.get((name, labels), 0.0)
            if delta:
                moved[label["operation"]] = delta
    return moved


async def test_requests_are_counted_by_operation_and_route_template(database_url):
    async with api_client(database_url) as client:
        assert client.app is not None

        @client.app.get("/_items/{item_id}")
        async def item(item_id: int) -> dict[str, int]:
            return {"id": item_id}

        before = await scrape(client)
        for _ in range(3):
            await client.data(NAMED)
        await client.data(ANONYMOUS)
        await client.http.get("/health")
        await client.http.get("/health")
        await client.http.get("/_items/1")
        await client.http.get("/_items/2")
        assert (await client.http.get("/nowhere")).status_code == 404
        after = await scrape(client)

    assert requests_moved(before, after, "rest") == {
        "/health": 2,
        "/_items/{item_id}": 2,
        "unmatched": 1,
        "/metrics": 1,
    }
    # The response cache names the operation, also for the answers it serves itself.
    assert requests_moved(before, after, "graphql") == {"FirstProduct": 3, "anonymous": 1}
    durations = "shopx_request_duration_seconds_count"
    health = frozenset({("operation", "/health"), ("kind", "rest")})
    assert after[durations, health] - before.get((durations, health), 0.0) == 2


async def middleware_call(middleware: MetricsMiddleware, **scope_extra: object) -> None:
    scope = {"type": "http", "method": "POST", "path": "/graphql", "root_path": ""}

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: dict) -> None:
        pass

    await middleware({**scope, **scope_extra}, receive, send)


def graphql_requests(operation: str) -> float:
    labels = {"operation": operation, "kind": "graphql"}
    return REGISTRY.get_sample_value("shopx_requests_total", labels) or 0.0


async def test_the_operation_is_the_name_an_inner_middleware_left_in_the_scope():
    async def inner(scope, _receive, send) -> None:
        if "name" in scope:
            scope[OPERATION_SCOPE_KEY] = scope["name"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    middleware = MetricsMiddleware(
        inner, routes=RouteTemplates(FastAPI()), operations=OperationNames()
    )
    labels = ("MetricsTestPing", "anonymous", "graphql")
    before = {label: graphql_requests(label) for label in labels}
    await middleware_call(middleware, name="MetricsTestPing")
    await middleware_call(middleware, name="MetricsTestPing")
    await middleware_call(middleware, name="")
    await middleware_call(middleware, name=None)
    await middleware_call(middleware)
    moved = {label: graphql_requests(label) - before[label] for label in labels}
    assert moved == {"MetricsTestPing": 2, "anonymous": 2, "graphql": 1}


def test_operation_names_are_capped_and_cut():
    names = OperationNames()
    labels = [names.label(f"Operation{i}") for i in range(300)]
    assert labels[:200] == [f"Operation{i}" for i in range(200)]
    assert set(labels[200:]) == {"other"}
    assert names.label("Operation7") == "Operation7"
    assert len(OperationNames().label("Q" * 500)) == 64


async def test_sql_statements_are_timed(database_url):
    count = "shopx_db_query_duration_seconds_count"
    async with api_client(database_url) as client:
        before = REGISTRY.get_sample_value(count) or 0.0
        await client.data(ANONYMOUS)
        assert (REGISTRY.get_sample_value(count) or 0.0) > before


async def test_instrumenting_an_engine_twice_times_each_statement_once(database_url):
    engine = create_engine(database_url, pool_size=1)
    observability.instrument_engine(engine)
    count = "shopx_db_query_duration_seconds_count"
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            before = REGISTRY.get_sample_value(count)
            await conn.execute(text("SELECT 1"))
            assert REGISTRY.get_sample_value(count) == before + 1
    finally:
        await engine.dispose()


def test_cache_events_and_invalidations_are_counted():
    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    from shopx.cache.local import TierStats

    hits = value("shopx_cache_events_total", tier="l1", result="hit")
    misses = value("shopx_cache_events_total", tier="l2", result="miss")
    local = value("shopx_cache_invalidations_total", source="local")
    l1, l2 = TierStats(hits=2), TierStats(misses=1)
    owner_1, owner_2 = type("Tier", (), {})(), type("Tier", (), {})()
    observability.watch_tier(owner_1, "l1", l1)
    observability.watch_tier(owner_2, "l2", l2)
    observability.invalidation("local")
    assert value("shopx_cache_events_total", tier="l1", result="hit") == hits + 2
    assert value("shopx_cache_events_total", tier="l2", result="miss") == misses + 1
    assert value("shopx_cache_invalidations_total", source="local") == local + 1
    import gc

    gc.collect()  # other tiers that are garbage go first
    reported = value("shopx_cache_events_total", tier="l1", result="hit")
    del owner_1, owner_2  # a tier that is gone is no longer reported
    gc.collect()
    assert value("shopx_cache_events_total", tier="l1", result="hit") == reported - 2
