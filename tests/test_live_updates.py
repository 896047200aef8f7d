"""``metricsUpdated`` over graphql-transport-ws, against the app served on a free port."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from shopx.analytics import live
from shopx.api.app import create_app
from shopx.auth import Role, create_token
from shopx.cache.changes import Changes
from shopx.cache.tags import ORDERS, PRODUCTS
from shopx.config import Settings
from tests.api import ApiClient, until
from tests.mutations import CREATE_ORDER, build_shop, order_input

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
EARLIER = "2026-11-02T12:00:00Z"
"""Inside this month: a running period ends at now, exclusive, so an order at NOW is not."""
WAIT = 5.0
"""Seconds to wait for a message that must come."""

FIELDS = (
    "totalOrders totalRevenue averageOrderValue uniqueCustomers totalProfit dataAsOf"
    " unitsChange profitChange profitChangePercentage marginChange"
)
METRICS = f"subscription {{ metricsUpdated(period: MONTH) {{ {FIELDS} }} }}"
SALES_OVERVIEW = f"{{ salesOverview(period: MONTH) {{ {FIELDS} }} }}"
UPDATE_PRODUCT = "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { id } }"


async def write_as_a_lasting_admin(
    client: ApiClient, query: str, variables: dict[str, Any]
) -> None:
    """A write by an admin whose token outlives a test's clock moved hours ahead."""
    token = create_token(client.settings.jwt_secret(), Role.ADMIN, ttl=timedelta(hours=3))
    body = {"query": query, "variables": variables}
    response = await client.http.post(
        "/graphql", json=body, headers={"authorization": f"Bearer {token}"}
    )
    assert "errors" not in response.json(), response.json()


@dataclass
class LiveServer:
    client: ApiClient
    ws_url: str


@asynccontextmanager
async def live_server(database_url: str, **settings: Any) -> AsyncIterator[LiveServer]:
    """The app served by uvicorn in this event loop, with its clock pinned at NOW."""
    config = Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32, **settings)
    app = create_app(config, clock=lambda: NOW)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
            raise RuntimeError("uvicorn stopped during startup")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            yield LiveServer(ApiClient(http, config, app), f"ws://127.0.0.1:{port}/graphql")
    finally:
        server.should_exit = True
        await serving


class Subscriber:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket

    async def message(self) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.socket.recv(), WAIT))

    async def overview(self) -> dict[str, Any]:
        """The next pushed overview; fails on anything else."""
        message = await self.message()
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message["payload"]["errors"]
        return message["payload"]["data"]["metricsUpdated"]


@asynccontextmanager
async def subscribed(
    url: str, *, init_token: str | None = None, header_token: str | None = None
) -> AsyncIterator[Subscriber]:
    """A connection that has sent connection_init and one ``subscribe`` to METRICS."""
    headers = {"authorization": f"Bearer {header_token}"} if header_token else None
    protocol = Subprotocol("graphql-transport-ws")
    async with connect(url, subprotocols=[protocol], additional_headers=headers) as socket:
        payload = {"authorization": f"Bearer {init_token}"} if init_token else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        subscriber = Subscriber(socket)
        assert (await subscriber.message())["type"] == "connection_ack"
        subscribe = {"id": "1", "type": "subscribe", "payload": {"query": METRICS}}
        await socket.send(json.dumps(subscribe))
        yield subscriber


async def test_a_subscriber_gets_the_overview_then_each_order_write(database_url, engine):
    shop = await build_shop(engine)
    async with live_server(database_url) as server:
        client = server.client
        async with subscribed(server.ws_url, init_token=client.token(Role.VIEWER)) as subscriber:
            first = await subscriber.overview()
            assert (first["totalOrders"], first["totalRevenue"]) == (0, "0.00")

            order = order_input(
                shop.north, (shop.boot, 1), (shop.cap, 2), status="COMPLETED", orderDate=EARLIER
            )
            await client.data(CREATE_ORDER, {"input": order})
            pushed = await subscriber.overview()

            answered = await client.data(SALES_OVERVIEW, role=Role.VIEWER)
    assert (pushed["totalOrders"], pushed["totalRevenue"]) == (1, "170.00")
    assert pushed == answered["salesOverview"]


async def test_a_burst_of_writes_is_coalesced_into_few_pushes(database_url, engine):
    shop = await build_shop(engine)
    writes = 8
    async with live_server(database_url) as server:
        client = server.client
        async with subscribed(server.ws_url, init_token=client.token(Role.VIEWER)) as subscriber:
            assert (await subscriber.overview())["totalOrders"] == 0
            order = order_input(shop.south, (shop.sandal, 1), status="COMPLETED", orderDate=EARLIER)
            await asyncio.gather(
                *(client.data(CREATE_ORDER, {"input": order}) for _ in range(writes))
            )
            pushes = [await subscriber.overview()]
            while pushes[-1]["totalOrders"] < writes:
                pushes.append(await subscriber.overview())
            answered = await client.data(SALES_OVERVIEW, role=Role.VIEWER)
    assert len(pushes) < writes, [push["totalOrders"] for push in pushes]
    assert pushes[-1] == answered["salesOverview"]
    assert pushes[-1]["totalRevenue"] == "320.00"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "a valid bearer token is required"),
        ("not-a-jwt", "invalid token: Not enough segments"),
    ],
    ids=["no-token", "bad-token"],
)
async def test_a_caller_without_permission_gets_an_error_message(database_url, token, message):
    async with (
        live_server(database_url) as server,
        subscribed(server.ws_url, init_token=token) as subscriber,
    ):
        refused = await subscriber.message()
        await subscriber.socket.send(json.dumps({"type": "ping"}))
        still_open = await subscriber.message()
    assert refused["type"] == "error"
    assert refused["id"] == "1"
    assert [error["message"] for error in refused["payload"]] == [message]
    assert [error["extensions"]["code"] for error in refused["payload"]] == ["UNAUTHENTICATED"]
    assert still_open == {"type": "pong"}


async def test_a_token_in_connection_init_wins_over_the_upgrade_header(database_url):
    async with live_server(database_url) as server:
        url, viewer = server.ws_url, server.client.token(Role.VIEWER)
        async with subscribed(url, init_token="not-a-jwt", header_token=viewer) as subscriber:
            refused = await subscriber.message()
        async with subscribed(url, header_token=viewer) as subscriber:
            accepted = await subscriber.overview()
    assert refused["type"] == "error"
    assert accepted["totalOrders"] == 0


async def test_a_write_touching_only_products_pushes_nothing(database_url, engine):
    shop = await build_shop(engine)
    async with live_server(database_url) as server:
        client = server.client
        async with subscribed(server.ws_url, header_token=client.token(Role.VIEWER)) as subscriber:
            assert (await subscriber.overview())["totalOrders"] == 0
            renamed = {"id": str(shop.boot), "name": "Riding boot", "sellingPrice": "99.00"}
            await client.data(UPDATE_PRODUCT, {"input": renamed})
            order = order_input(shop.north, (shop.cap, 1), status="COMPLETED", orderDate=EARLIER)
            await client.data(CREATE_ORDER, {"input": order})
            after = await subscriber.overview()
    assert (after["totalOrders"], after["totalRevenue"]) == (1, "25.00")


async def test_a_burst_already_queued_is_taken_whole():
    queue: asyncio.Queue[frozenset[str]] = asyncio.Queue()
    for tags in ({PRODUCTS}, {ORDERS}, {ORDERS, PRODUCTS}, {PRODUCTS}, {ORDERS}):
        queue.put_nowait(frozenset(tags))
    await asyncio.wait_for(live.burst(queue), WAIT)
    assert queue.empty()


async def test_a_burst_that_never_pauses_still_closes():
    queue: asyncio.Queue[frozenset[str]] = asyncio.Queue()

    async def keep_writing() -> None:
        while True:
            queue.put_nowait(frozenset({ORDERS}))
            await asyncio.sleep(0.01)

    writer = asyncio.create_task(keep_writing())
    try:
        await asyncio.wait_for(live.burst(queue, quiet=0.05, longest=0.2), WAIT)
    finally:
        writer.cancel()


async def test_a_closed_subscription_stops_listening():
    changes = Changes()
    answers = itertools.count()

    async def compute() -> int:
        return next(answers)

    pushes = live.refreshed(changes, compute)
    assert await anext(pushes) == 0
    changes.notify(frozenset({ORDERS}))
    assert await asyncio.wait_for(anext(pushes), WAIT) == 1
    assert changes.listeners == 1
    await pushes.aclose()
    assert changes.listeners == 0


async def test_a_write_on_another_instance_reaches_the_subscriber(database_url, engine):
    """Two instances sharing Redis: the write's invalidation message carries it across."""
    from tests.services import REDIS_URL, need

    need("Redis", REDIS_URL)
    shop = await build_shop(engine)
    async with (
        live_server(database_url, redis_url=REDIS_URL) as watched,
        live_server(database_url, redis_url=REDIS_URL) as written,
    ):
        token = watched.client.token(Role.VIEWER)
        async with subscribed(watched.ws_url, init_token=token) as subscriber:
            assert (await subscriber.overview())["totalOrders"] == 0
            listeners = [server.client.app.state.cache.freshness for server in (watched, written)]
            await until(
                lambda: all(freshness.has_lease() for freshness in listeners),
                "both instances to listen to the channel",
            )
            order = order_input(shop.north, (shop.cap, 1), status="COMPLETED", orderDate=EARLIER)
            await written.client.data(CREATE_ORDER, {"input": order})
            pushed = await subscriber.overview()
    assert (pushed["totalOrders"], pushed["totalRevenue"]) == (1, "25.00")


async def test_a_subscription_ends_when_its_token_expires(database_url, engine, monkeypatch):
    import time

    from shopx.api.graphql import subscriptions

    shop = await build_shop(engine)
    async with live_server(database_url) as server:
        client = server.client
        async with subscribed(server.ws_url, init_token=client.token(Role.VIEWER)) as subscriber:
            assert (await subscriber.overview())["totalOrders"] == 0
            later = time.time() + 2 * 3600  # the token lives one hour
            monkeypatch.setattr(subscriptions.time, "time", lambda: later)
            order = order_input(shop.north, (shop.cap, 1), status="COMPLETED", orderDate=EARLIER)
            await write_as_a_lasting_admin(client, CREATE_ORDER, {"input": order})
            ended = await subscriber.message()
    assert ended["type"] in ("next", "error"), ended
    errors = ended["payload"]["errors"] if ended["type"] == "next" else ended["payload"]
    assert [error["extensions"]["code"] for error in errors] == ["UNAUTHENTICATED"]
    assert "expired" in errors[0]["message"]


async def test_an_open_socket_refuses_operations_once_its_token_expires(database_url, monkeypatch):
    import time

    category = {"input": {"name": "Boots"}}
    create = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }"
    async with live_server(database_url) as server:
        protocol = Subprotocol("graphql-transport-ws")
        async with connect(server.ws_url, subprotocols=[protocol]) as socket:
            token = {"authorization": f"Bearer {server.client.token(Role.ADMIN)}"}
            await socket.send(json.dumps({"type": "connection_init", "payload": token}))
            subscriber = Subscriber(socket)
            assert (await subscriber.message())["type"] == "connection_ack"

            async def run(id: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
                payload = {"query": query, "variables": variables}
                await socket.send(json.dumps({"type": "subscribe", "id": id, "payload": payload}))
                answer = await subscriber.message()
                while answer["type"] == "complete":
                    answer = await subscriber.message()
                assert answer["id"] == id, answer
                return answer

            before = await run("1", create, category)
            later = time.time() + 2 * 3600  # the token lives one hour
            monkeypatch.setattr(time, "time", lambda: later)
            answers = [await run("2", SALES_OVERVIEW, {}), await run("3", create, category)]
    assert before["type"] == "next" and "errors" not in before["payload"], before
    for answer in answers:
        errors = answer["payload"]["errors"] if answer["type"] == "next" else answer["payload"]
        assert [error["extensions"]["code"] for error in errors] == ["UNAUTHENTICATED"], answer
        assert errors[0]["message"] == "the token has expired"
