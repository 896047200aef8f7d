"""The rate limit as callers meet it: tiers per role and per client IP, the X-RateLimit headers
on every counted response (cached answers too), 429 with Retry-After, counts shared through
Redis, a Redis that cannot be reached, and the probes that are never counted."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopx.api import ratelimit
from shopx.api.ratelimit import Counters, Tiers, window_index
from shopx.auth import Role
from shopx.config import Settings
from tests.api import ApiClient, api_client, sqlite_copy
from tests.services import REDIS_URL, need

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
OVERVIEW = {
    "query": "query Overview($p: Period!) { salesOverview(period: $p) { totalOrders } }",
    "variables": {"p": "MONTH"},
}
TIERS = {
    "rate_limit_enabled": True,
    "rate_limit_anonymous": "2/minute",
    "rate_limit_authenticated": "3/minute",
    "rate_limit_admin": "5/minute",
}


@pytest.fixture
def url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database of this test (the limiter does not depend on the dialect)."""
    return sqlite_copy(sqlite_template, tmp_path)


@asynccontextmanager
async def limited(url: str, **settings: Any) -> AsyncIterator[ApiClient]:
    async with api_client(url, now=NOW, anonymous_reads=True, **{**TIERS, **settings}) as client:
        yield client


@asynccontextmanager
async def from_address(app: FastAPI | None, ip: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of ``app`` whose connections come from ``ip``."""
    assert app is not None
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@asynccontextmanager
async def two_addresses(
    app: FastAPI | None, first: str = "198.51.100.1"
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Clients of ``app`` from ``first`` and from 198.51.100.2."""
    async with from_address(app, first) as one, from_address(app, "198.51.100.2") as two:
        yield one, two


def bearer(client: ApiClient, role: Role) -> dict[str, str]:
    return {"authorization": f"Bearer {client.token(role)}"}


async def statuses(http: httpx.AsyncClient, count: int, **headers: str) -> list[int]:
    return [(await http.get("/", headers=headers)).status_code for _ in range(count)]


async def test_each_role_has_its_own_tier(url):
    async with limited(url) as client:
        anonymous = await statuses(client.http, 3)
        viewer = await statuses(client.http, 4, **bearer(client, Role.VIEWER))
        admin = await statuses(client.http, 6, **bearer(client, Role.ADMIN))
    assert anonymous == [200, 200, 429]
    assert viewer == [200, 200, 200, 429]
    assert admin == [200] * 5 + [429]


async def test_token_holders_are_counted_per_subject_not_per_address(url):
    async with limited(url) as client, two_addresses(client.app) as (one, two):
        token = bearer(client, Role.ANALYST)
        seen = [*await statuses(one, 2, **token), *await statuses(two, 2, **token)]
    assert seen == [200, 200, 200, 429]


async def test_anonymous_callers_are_counted_per_client_address(url):
    async with limited(url) as client, two_addresses(client.app) as (one, two):
        first = await statuses(one, 3)
        second = await statuses(two, 2)
    assert first == [200, 200, 429]
    assert second == [200, 200]


async def test_forwarded_for_is_believed_only_from_a_trusted_proxy(url):
    async with (
        limited(url, trusted_proxies="10.0.0.0/8") as client,
        two_addresses(client.app, "10.1.2.3") as (proxy, direct),
    ):
        via_proxy = [
            *await statuses(proxy, 2, **{"x-forwarded-for": "203.0.113.1"}),
            *await statuses(proxy, 1, **{"x-forwarded-for": "203.0.113.2, 10.0.0.7"}),
            *await statuses(proxy, 1, **{"x-forwarded-for": "203.0.113.1"}),
        ]
        spoofed = await statuses(direct, 3, **{"x-forwarded-for": "203.0.113.50"})
    assert via_proxy == [200, 200, 200, 429]
    assert spoofed == [200, 200, 429]


async def test_every_counted_response_carries_the_headers_cached_hits_included(url):
    async with limited(url) as client:
        token = bearer(client, Role.ANALYST)
        answers = [await client.http.post("/graphql", json=OVERVIEW, headers=token)]
        answers.append(await client.http.post("/graphql", json=OVERVIEW, headers=token))
        answers.append(await client.http.get("/nowhere", headers=token))
    assert [a.headers.get("x-cache") for a in answers] == ["MISS", "HIT-L1", None]
    assert [a.status_code for a in answers] == [200, 200, 404]
    assert [a.headers["x-ratelimit-limit"] for a in answers] == ["3", "3", "3"]
    assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["2", "1", "0"]
    resets = {int(a.headers["x-ratelimit-reset"]) for a in answers}
    assert len(resets) == 1 and resets.pop() > datetime.now(UTC).timestamp()


async def test_past_the_limit_graphql_answers_429_with_its_error_shape(url):
    async with limited(url) as client:
        for _ in range(2):
            await client.http.post("/graphql", json=OVERVIEW)
        refused = await client.http.post("/graphql", json=OVERVIEW)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-ratelimit-remaining"] == "0"
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert "rate limit" in error["message"]


async def test_past_the_limit_rest_answers_429_with_problem_json(url):
    async with limited(url) as client:
        await statuses(client.http, 2)
        refused = await client.http.get("/docs")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"] == "RATE_LIMIT_EXCEEDED"
    assert refused.json()["detail"]


async def test_probes_and_scrapes_are_never_counted_or_refused(url):
    async with limited(url) as client:
        await statuses(client.http, 3)
        probes = [await client.http.get(path) for path in ("/health", "/metrics") * 3]
    assert [p.status_code for p in probes] == [200] * 6
    assert not any("x-ratelimit-limit" in p.headers for p in probes)


async def open_socket(client: ApiClient) -> str:
    """Open a WebSocket on /graphql in process: the type of the app's first answer."""
    assert client.app is not None
    scope = {
        "type": "websocket",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "scheme": "ws",
        "query_string": b"",
        "headers": [(b"sec-websocket-protocol", b"graphql-transport-ws")],
        "subprotocols": ["graphql-transport-ws"],
        "client": ("198.51.100.7", 40000),
        "server": ("test", 80),
    }
    incoming = [{"type": "websocket.connect"}]
    answers: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        answers.append(message)

    await client.app(scope, receive, send)
    return answers[0]["type"]


async def test_a_websocket_counts_when_it_opens_and_is_closed_past_the_limit(url):
    async with limited(url) as client:
        opened = [await open_socket(client) for _ in range(3)]
    assert opened == ["websocket.accept", "websocket.accept", "websocket.close"]


async def test_the_limiter_can_be_switched_off(url):
    async with limited(url, rate_limit_enabled=False) as client:
        answers = [await client.http.get("/") for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert "x-ratelimit-limit" not in answers[0].headers


async def test_instances_sharing_redis_share_the_counts(url):
    need("Redis", REDIS_URL)
    shared = {"redis_url": REDIS_URL, "redis_timeout_ms": 1000}  # a busy test machine is slow
    async with limited(url, **shared) as a, limited(url, **shared) as b:
        token = bearer(a, Role.VIEWER)
        seen = [
            *await statuses(a.http, 2, **token),
            *await statuses(b.http, 2, **token),
        ]
        assert a.app is not None
        assert a.app.state.rate_counters.breaker.failures == 0
    assert seen == [200, 200, 200, 429]


async def test_an_unreachable_redis_fails_open_to_counts_per_instance():
    settings = Settings(redis_url="redis://127.0.0.1:1/0", rate_limit_anonymous="2/minute")
    counters = Counters(settings)
    item = Tiers.of(settings).anonymous
    try:
        windows = [await counters.hit(item, "ip:192.0.2.1") for _ in range(3)]
    finally:
        await counters.close()
    assert [w.allowed for w in windows] == [True, True, False]
    assert counters.breaker.failures == 1
    assert not counters.breaker.closed


def test_a_malformed_limit_is_refused_at_startup():
    with pytest.raises(ValueError, match="100/minute"):
        Settings(rate_limit_anonymous="many")


def test_a_trusted_proxy_must_be_an_address_or_network():
    assert Settings(trusted_proxies=" 10.0.0.0/8, ::1 ").trusted_proxies == ("10.0.0.0/8", "::1")
    with pytest.raises(ValueError, match="trusted proxies"):
        Settings(trusted_proxies="nginx.internal")


class CountingStorage:
    """A storage that records the name of each call made on it, then makes it."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.storage, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return await method(*args, **kwargs)

        return counted


async def test_a_shared_count_is_one_redis_call_in_a_window_aligned_to_the_clock():
    """Each request costs one Redis call (the window's end is known, not asked for), and a
    take-back goes to the window that counted, even once the next one has begun."""
    need("Redis", REDIS_URL)
    settings = Settings(redis_url=REDIS_URL, rate_limit_anonymous="2/minute")
    counters = Counters(settings)
    assert counters.shared is not None
    storage = counters.shared = CountingStorage(counters.shared)  # type: ignore[assignment]
    item = Tiers.of(settings).anonymous
    try:
        for _ in range(2):  # three hits straddle the end of a minute at most once in a row
            storage.calls.clear()
            key = f"ip:test-{uuid.uuid4()}"
            windows = [await counters.hit(item, key) for _ in range(3)]
            if len({w.reset for w in windows}) == 1:
                break
        assert storage.calls == ["incr"] * 3
        window = window_index(item, windows[0].reset) - 1
        assert {w.reset for w in windows} == {(window + 1) * 60.0}
        assert [w.used for w in windows] == [1, 2, 3]
        assert [w.allowed for w in windows] == [True, True, False]
        await counters.take_back(item, key, windows[2])
        assert await storage.get(f"{item.key_for(key)}/{window}") == 2
        earlier = windows[0]._replace(reset=windows[0].reset - 60)
        await counters.take_back(item, key, earlier)
        assert await storage.get(f"{item.key_for(key)}/{window}") == 2
        assert await storage.get(f"{item.key_for(key)}/{window - 1}") == -1
    finally:
        await counters.close()


async def test_a_take_back_after_its_window_ended_leaves_the_next_window_alone(monkeypatch):
    """In memory too, a take-back goes to the window that counted: once that window has
    ended it is gone with its counts, and the next one starts full."""
    settings = Settings(rate_limit_anonymous="2/minute")
    counters = Counters(settings)
    item = Tiers.of(settings).anonymous
    now = [6_000.0]  # the start of a minute
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    counted = await counters.hit(item, "ip:192.0.2.7")
    now[0] += 60
    await counters.take_back(item, "ip:192.0.2.7", counted)
    assert (await counters.hit(item, "ip:192.0.2.7")).used == 1
