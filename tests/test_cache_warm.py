"""The cache-warm job: after a data change it computes the dashboard's answers under the
keys the dashboard's own requests use, so those requests are hits; a warm answer is left
alone; a worker fills Redis for the servers; where nothing can be warmed it says why."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from shopx.api.warming import worker_cache
from shopx.auth import Role
from shopx.cache.runtime import outside_cache
from shopx.config import Settings
from shopx.db.engine import create_engine, session_factory
from shopx.jobs.cache_warm import dashboard_views, visibilities
from shopx.jobs.runner import run_job
from tests.api import ApiClient, api_client
from tests.conftest import SEED_NOW
from tests.mutations import CREATE_ORDER, order_input
from tests.services import REDIS_URL, need

pytestmark = pytest.mark.serial  # its bounds hold on an unloaded machine (Makefile)

ROLE_VIEWS = sum(len(visibilities(view.permission, Settings())) for view in dashboard_views())
"""Answers warmed per run without anonymous reads: each view for each role that sees it."""


def overview_body(period: str) -> bytes:
    """The Overview's request for a preset, as the dashboard sends it."""
    for view in dashboard_views():
        if view.page == "overview" and orjson.loads(view.body)["variables"]["period"] == period:
            return view.body
    raise AssertionError(f"no Overview view for {period}")


async def send(client: ApiClient, body: bytes, role: Role | None) -> tuple[str, dict[str, Any]]:
    headers = {"content-type": "application/json"}
    if role is not None:
        headers["authorization"] = f"Bearer {client.token(role)}"
    response = await client.http.post("/graphql", content=body, headers=headers)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "errors" not in answer, answer["errors"]
    return response.headers["x-cache"], answer["data"]


async def warm(client: ApiClient):
    assert client.app is not None
    record = await run_job(
        "cache-warm",
        "manual",
        client.app.state.engine,
        client.settings,
        cache=client.app.state.cache,
    )
    assert record.outcome == "succeeded", record.error
    return record


async def completed_order(client: ApiClient, url: str) -> Decimal:
    """A completed order placed this month, before the clock; its total."""
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            customer = (await conn.execute(text("SELECT min(id) FROM customers"))).scalar_one()
            product = (
                await conn.execute(text("SELECT min(id) FROM products WHERE stock_quantity > 5"))
            ).scalar_one()
    finally:
        await engine.dispose()
    order = order_input(
        customer, (product, 2), status="COMPLETED", orderDate="2026-11-20T09:00:00Z"
    )
    created = await client.data(CREATE_ORDER, {"input": order})
    return Decimal(created["createOrder"]["totalAmount"])


def test_the_warm_list_is_every_overview_preset_and_the_products_and_customers_pages():
    pages = [(view.page, orjson.loads(view.body)["variables"]) for view in dashboard_views()]

    assert [variables["period"] for page, variables in pages if page == "overview"] == [
        "TODAY",
        "YESTERDAY",
        "WEEK",
        "LAST_WEEK",
        "MONTH",
        "LAST_MONTH",
        "QUARTER",
        "YEAR",
    ]
    assert sorted(page for page, _ in pages if page != "overview") == ["customers", "products"]
    assert visibilities(dashboard_views()[0].permission, Settings()) == [
        "admin",
        "analyst",
        "viewer",
    ]
    assert visibilities(dashboard_views()[-1].permission, Settings(anonymous_reads=True)) == [
        "admin",
        "analyst",
        "anonymous",
    ]


async def test_after_a_data_change_the_dashboards_requests_are_hits(shop_copy):
    async with api_client(shop_copy, now=SEED_NOW) as client:
        cache, before = await send(client, overview_body("MONTH"), Role.VIEWER)
        assert cache == "MISS"
        added = await completed_order(client, shop_copy)

        first = await warm(client)
        cache, after = await send(client, overview_body("MONTH"), Role.VIEWER)
        second = await warm(client)
        analyst_cache, _ = await send(client, dashboard_views()[-1].body, Role.ANALYST)

    assert (first.rows, first.detail) == (ROLE_VIEWS, f"warmed {ROLE_VIEWS}, already warm 0")
    assert cache == "HIT-L1"
    revenue = Decimal(before["salesOverview"]["totalRevenue"])
    assert Decimal(after["salesOverview"]["totalRevenue"]) == revenue + added
    assert (second.rows, second.detail) == (0, f"warmed 0, already warm {ROLE_VIEWS}")
    assert analyst_cache == "HIT-L1"


async def test_only_the_answers_gone_cold_are_warmed(shop_copy):
    async with api_client(shop_copy, now=SEED_NOW, anonymous_reads=True) as client:
        assert (await send(client, overview_body("YEAR"), None))[0] == "MISS"
        assert (await send(client, overview_body("TODAY"), Role.ADMIN))[0] == "MISS"
        record = await warm(client)
        cache, _ = await send(client, overview_body("WEEK"), None)

    total = sum(
        len(visibilities(view.permission, Settings(anonymous_reads=True)))
        for view in dashboard_views()
    )
    assert (record.rows, record.detail) == (total - 2, f"warmed {total - 2}, already warm 2")
    assert cache == "HIT-L1"


async def test_a_server_warms_redis_for_the_other_servers(database_url, dialect):
    need("Redis", REDIS_URL)
    async with api_client(database_url, redis_url=REDIS_URL) as server:
        await server.app.state.cache.clear(["orders", "products", "customers", "reps"])
        record = await warm(server)
        details = [record.detail]
        if "not stored" in record.detail:
            # A process that did not hear its invalidation channel for a lease (a loaded
            # machine: the warming holds its event loop) keeps nothing it computed meanwhile
            # in-process; the next run finds every answer warm, or warms what is left.
            details.append((await warm(server)).detail)
        async with api_client(database_url, redis_url=REDIS_URL) as other:
            hit, _ = await send(other, overview_body("QUARTER"), Role.ADMIN)

    # Every view ends warm in Redis: warmed by the run, or (after a second run) warm.
    last = re.fullmatch(r"warmed (\d+), already warm (\d+)", details[-1])
    assert last is not None and int(last[1]) + int(last[2]) == ROLE_VIEWS, details
    assert len(details) == 2 or record.rows == ROLE_VIEWS, details
    assert hit == "HIT-L2"


async def test_a_worker_warms_redis_for_the_servers(database_url, dialect):
    need("Redis", REDIS_URL)
    settings = Settings(
        database_url=database_url, secret_key="test-secret-" + "x" * 32, redis_url=REDIS_URL
    )
    engine = create_engine(database_url, pool_size=2)
    try:
        async with worker_cache(settings) as cache:
            await cache.clear(["orders", "products", "customers", "reps"])
            async with api_client(database_url, redis_url=REDIS_URL) as client:
                # A server's first request is a miss in Redis as well...
                assert (await send(client, overview_body("LAST_MONTH"), Role.ANALYST))[0] == "MISS"
                record = await run_job("cache-warm", "manual", engine, settings, cache=cache)
                # ...and after the worker's run, any server's is a hit from Redis.
                async with api_client(database_url, redis_url=REDIS_URL) as other:
                    hit, _ = await send(other, overview_body("MONTH"), Role.VIEWER)
    finally:
        await engine.dispose()

    assert record.outcome == "succeeded", record.error
    assert record.rows == ROLE_VIEWS - 1
    assert record.detail == f"warmed {ROLE_VIEWS - 1}, already warm 1"
    assert hit == "HIT-L2"


async def test_where_nothing_can_be_warmed_the_run_says_why(engine, database_url):
    settings = Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32)
    sessions = session_factory(engine)
    async with outside_cache(settings, sessions) as command_cache:
        no_api = await run_job("cache-warm", "manual", engine, settings, cache=command_cache)
    async with worker_cache(settings) as worker:
        no_redis = await run_job("cache-warm", "manual", engine, settings, cache=worker)
    off = Settings(database_url=database_url, secret_key="x" * 44, cache_enabled=False)
    async with outside_cache(off, sessions) as disabled:
        cache_off = await run_job("cache-warm", "manual", engine, off, cache=disabled)

    assert (no_api.rows, no_api.detail) == (
        0,
        "skipped: no API in this process to compute answers",
    )
    assert no_redis.detail == (
        "skipped: a worker without Redis (SHOPX_REDIS_URL) has no cache a server reads"
    )
    assert cache_off.detail == "skipped: the response cache is off (SHOPX_CACHE_ENABLED)"
