"""graphql-transport-ws under the bounds of HTTP: message size, the rate limit per operation,
the operations one socket may run at once, and malformed subscribe messages refused cleanly.

The server is uvicorn with its default 16 MiB ``ws_max_size`` (as a server not started by
``shopx serve``), so the size refusals here are our own check."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from shopx.api import server
from shopx.api.graphql.websocket import BoundedTransportWSHandler
from shopx.auth import Role
from shopx.config import get_settings
from tests.api import sqlite_copy
from tests.mutations import CREATE_ORDER, build_shop, order_input
from tests.test_live_updates import (
    EARLIER,
    METRICS,
    NOW,
    WAIT,
    LiveServer,
    Subscriber,
    live_server,
)

TYPENAME = "{ __typename }"
LATER = NOW + timedelta(hours=3)
ANONYMOUS_TIER = "3/day"
"""A window no test outlives: the counts cannot reset mid-test."""


@pytest.fixture
def url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database of this test (these bounds do not depend on the dialect)."""
    return sqlite_copy(sqlite_template, tmp_path)


@pytest.fixture
def tracebacks(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    """Records logged with an exception by the server (uvicorn's loggers do not propagate)."""
    logger = logging.getLogger("uvicorn")
    logger.addHandler(caplog.handler)
    try:
        yield caplog.records
    finally:
        logger.removeHandler(caplog.handler)


@asynccontextmanager
async def opened(ws_url: str, token: str | None = None) -> AsyncIterator[Subscriber]:
    """A connection that has been acknowledged (with ``token`` as its caller, if given)."""
    protocol = Subprotocol("graphql-transport-ws")
    async with connect(ws_url, subprotocols=[protocol], max_size=None) as socket:
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        subscriber = Subscriber(socket)
        assert (await subscriber.message())["type"] == "connection_ack"
        yield subscriber


@asynccontextmanager
async def served(
    url: str, role: Role | None = None, **settings: Any
) -> AsyncIterator[tuple[LiveServer, Subscriber]]:
    """The app served with ``settings``, and one acknowledged connection to it."""
    async with live_server(url, **settings) as live:
        token = live.client.token(role) if role else None
        async with opened(live.ws_url, token) as subscriber:
            yield live, subscriber


async def subscribe(socket: ClientConnection, id: Any, payload: Any) -> None:
    message = {"type": "subscribe", "id": id, "payload": payload}
    await socket.send(json.dumps(message, ensure_ascii=False))


async def closed_with(socket: ClientConnection) -> tuple[int | None, str | None]:
    """The close code and reason the server ends the connection with."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(socket.recv(), WAIT)
    received = closed.value.rcvd
    return (received.code, received.reason) if received else (None, None)


async def run(subscriber: Subscriber, id: str, query: str) -> dict[str, Any]:
    """The final message of one operation: its error, or the complete after its result."""
    await subscribe(subscriber.socket, id, {"query": query})
    message = await subscriber.message()
    if message["type"] == "next":
        message = await subscriber.message()
    return message


def codes(message: dict[str, Any]) -> list[str]:
    assert message["type"] == "error", message
    return [error["extensions"]["code"] for error in message["payload"]]


async def still_open(subscriber: Subscriber) -> bool:
    await subscriber.socket.send(json.dumps({"type": "ping"}))
    return await subscriber.message() == {"type": "pong"}


@pytest.mark.parametrize(
    ("filler", "count"),
    [("x", 4096), ("é", 2100)],
    ids=["ascii", "two-byte-utf8-fewer-characters-than-the-limit"],
)
async def test_a_message_past_the_body_limit_closes_the_socket_1009(url, filler, count, tracebacks):
    limit = 4096
    async with served(url, max_body_bytes=limit) as (_, subscriber):
        query = "#" + filler * count + "\n" + TYPENAME
        await subscribe(subscriber.socket, "1", {"query": query})
        code, reason = await closed_with(subscriber.socket)
    assert code == 1009
    assert reason == f"message larger than {limit} bytes"
    assert not [record for record in tracebacks if record.exc_info]


async def test_a_message_within_the_body_limit_runs(url):
    limit = 4096
    async with served(url, max_body_bytes=limit) as (_, subscriber):
        query = "#" + "x" * (limit - 200) + "\n" + TYPENAME
        await subscribe(subscriber.socket, "1", {"query": query})
        result = await subscriber.message()
    assert result["payload"] == {"data": {"__typename": "Query"}}


def test_serve_bounds_websocket_messages_by_the_body_limit(monkeypatch):
    given: dict[str, Any] = {}
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **options: given.update(options))
    server.serve()
    assert given["ws_max_size"] == get_settings().max_body_bytes
    server.serve(ws_max_size=2048)
    assert given["ws_max_size"] == 2048


async def test_every_subscribe_counts_against_the_callers_limit(url):
    async with served(url, rate_limit_anonymous=ANONYMOUS_TIER) as (live, subscriber):
        answers = [await run(subscriber, id, TYPENAME) for id in ("1", "2", "3")]
        open_after = await still_open(subscriber)
        over_http = await live.client.http.post("/graphql", json={"query": TYPENAME})
    assert [a["type"] for a in answers] == ["complete", "complete", "error"]
    assert codes(answers[2]) == ["RATE_LIMIT_EXCEEDED"]
    assert "rate limit of 3 requests exceeded" in answers[2]["payload"][0]["message"]
    assert open_after
    assert over_http.status_code == 429


async def test_a_token_holder_is_counted_in_its_tier(url):
    tiers = {"rate_limit_anonymous": "1/day", "rate_limit_authenticated": "2/day"}
    async with served(url, Role.VIEWER, **tiers) as (_, subscriber):
        answers = [await run(subscriber, id, TYPENAME) for id in ("1", "2", "3")]
    assert [a["type"] for a in answers] == ["complete", "complete", "error"]
    assert codes(answers[2]) == ["RATE_LIMIT_EXCEEDED"]


async def test_operations_at_once_past_the_cap_are_refused_with_a_code(url, monkeypatch):
    original = BoundedTransportWSHandler.__init__

    def one_at_once(self: BoundedTransportWSHandler, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.max_subscriptions_per_connection = 1

    monkeypatch.setattr(BoundedTransportWSHandler, "__init__", one_at_once)
    async with served(url, Role.VIEWER) as (_, subscriber):
        await subscribe(subscriber.socket, "1", {"query": METRICS})
        assert (await subscriber.message())["type"] == "next"
        await subscribe(subscriber.socket, "2", {"query": METRICS})
        refused = await subscriber.message()
        open_after = await still_open(subscriber)
    assert refused["id"] == "2"
    assert codes(refused) == ["RATE_LIMIT_EXCEEDED"]
    assert refused["payload"][0]["message"].startswith("subscription limit reached")
    assert open_after


async def test_variables_nested_too_deep_close_the_socket_4400(url, tracebacks):
    deep = "[" * 100_000 + "]" * 100_000
    raw = '{"type":"subscribe","id":"1","payload":{"query":"{ __typename }","variables":%s}}'
    async with served(url) as (_, subscriber):
        await subscriber.socket.send(raw % deep)
        code, reason = await closed_with(subscriber.socket)
    assert (code, reason) == (4400, "WebSocket message must be valid JSON")
    assert not [record for record in tracebacks if record.exc_info]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"query": TYPENAME, "operationName": []}, "operationName must be a string"),
        ({"query": TYPENAME, "variables": [1]}, "variables must be an object"),
        ({"query": ["{ __typename }"]}, "the subscribe payload has no query string"),
        ("{ __typename }", "the subscribe payload must be an object with a query"),
    ],
    ids=["operation-name-list", "variables-list", "query-list", "payload-string"],
)
async def test_a_malformed_subscribe_is_refused_and_the_socket_stays_open(
    url, payload, message, tracebacks
):
    async with served(url) as (_, subscriber):
        await subscribe(subscriber.socket, "1", payload)
        refused = await subscriber.message()
        open_after = await still_open(subscriber)
    assert codes(refused) == ["BAD_USER_INPUT"]
    assert refused["payload"][0]["message"] == message
    assert open_after
    assert not [record for record in tracebacks if record.exc_info]


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ({"type": "subscribe", "id": ["x"], "payload": {"query": TYPENAME}}, "id must be a string"),
        ({"type": "complete", "id": ["x"]}, "id must be a string"),
        ({"type": "subscribe", "payload": {"query": TYPENAME}}, "id must be a string"),
        ([], "not a JSON object"),
        (None, "not a JSON object"),
    ],
    ids=["subscribe-id-list", "complete-id-list", "no-id", "array", "null"],
)
async def test_an_invalid_message_closes_the_socket_4400(url, message, reason, tracebacks):
    async with served(url) as (_, subscriber):
        await subscriber.socket.send(json.dumps(message))
        closed = await closed_with(subscriber.socket)
    assert closed == (4400, f"Invalid message: {reason}")
    assert not [record for record in tracebacks if record.exc_info]


SEEN = """query Seen($id: ID!) {
  order(id: $id) { customer { name } }
  dashboardOverview(period: TODAY) { generatedAt }
}"""
RENAME = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { id } }"


async def answer(subscriber: Subscriber, id: str, query: str, variables: dict) -> dict[str, Any]:
    """The data of one query sent over the connection."""
    await subscribe(subscriber.socket, id, {"query": query, "variables": variables})
    message = await subscriber.message()
    assert message["type"] == "next" and "errors" not in message["payload"], message
    assert (await subscriber.message())["type"] == "complete"
    return message["payload"]["data"]


async def test_each_operation_of_a_connection_reads_the_data_and_time_it_runs_at(
    database_url, engine
):
    """Operations of one connection do not share a context: a customer renamed between two
    of them is read renamed by the second (the first one's DataLoaders are not kept), and
    each is cut at the clock when it runs, not when the socket opened."""
    shop = await build_shop(engine)
    async with live_server(database_url) as live:
        client = live.client
        order = order_input(shop.north, (shop.cap, 1), status="COMPLETED", orderDate=EARLIER)
        order_id = (await client.data(CREATE_ORDER, {"input": order}))["createOrder"]["id"]
        async with opened(live.ws_url, client.token(Role.ADMIN)) as subscriber:
            first = await answer(subscriber, "1", SEEN, {"id": order_id})
            renamed = {"id": str(shop.north), "name": "Renamed Buyer"}
            await client.data(RENAME, {"input": renamed})
            assert client.app is not None
            client.app.state.clock = lambda: LATER
            second = await answer(subscriber, "2", SEEN, {"id": order_id})
    assert first["order"]["customer"]["name"] != "Renamed Buyer"
    assert second["order"]["customer"]["name"] == "Renamed Buyer"
    assert first["dashboardOverview"]["generatedAt"] == NOW.isoformat()
    assert second["dashboardOverview"]["generatedAt"] == LATER.isoformat()
