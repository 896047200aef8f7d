"""Signing in as the dashboard does: login, the access token on GraphQL, the refresh cookie,
rotation and theft detection, logout, refusals that tell nothing, and failed-login limits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from http.cookies import Morsel, SimpleCookie
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopx.api.login_limit import LoginGuard, login_counters
from shopx.auth import Role, passwords
from shopx.auth.refresh_tokens import REUSE_GRACE
from shopx.config import Settings
from tests.api import ApiClient, api_client, until
from tests.services import REDIS_URL, need
from tests.users import PASSWORD, add_user, disable

pytestmark = pytest.mark.usefixtures("cheap_passwords")

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "{ me { subject email role permissions } }"
OVERVIEW = "{ salesOverview(period: MONTH) { totalOrders totalRevenue } }"
ANA = "ana@example.com"
WRONG = {"error": "UNAUTHENTICATED", "detail": "wrong email or password"}


async def login(
    http: httpx.AsyncClient, email: str = ANA, password: str = PASSWORD
) -> httpx.Response:
    response = await http.post(LOGIN, json={"email": email, "password": password})
    http.cookies.clear()
    return response


async def post(http: httpx.AsyncClient, path: str, cookie: str | None) -> httpx.Response:
    """A POST to ``path`` carrying the refresh cookie ``cookie`` (or none)."""
    headers = {"cookie": f"shopx_refresh={cookie}"} if cookie else {}
    response = await http.post(path, headers=headers)
    http.cookies.clear()
    return response


def refresh_cookie(response: httpx.Response) -> Morsel[str]:
    [header] = [h for h in response.headers.get_list("set-cookie") if "shopx_refresh=" in h]
    cookie: SimpleCookie = SimpleCookie()
    cookie.load(header)
    return cookie["shopx_refresh"]


async def graphql(http: httpx.AsyncClient, query: str, token: str) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": query}, headers={"authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return response.json()


@asynccontextmanager
async def from_address(
    app: FastAPI | None, ip: str, base_url: str = "http://test"
) -> AsyncIterator[httpx.AsyncClient]:
    assert app is not None
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
        yield http


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[ApiClient]:
    await add_user(database_url, ANA, role=Role.VIEWER)
    async with api_client(database_url) as client:
        yield client


async def test_a_signed_in_user_reads_with_the_access_token(client):
    response = await login(client.http, email="  Ana@Example.COM ")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.keys() == {"access_token", "token_type", "expires_in", "email", "role"}
    assert (body["token_type"], body["expires_in"], body["email"], body["role"]) == (
        "bearer",
        900,
        ANA,
        "viewer",
    )
    assert response.headers["cache-control"] == "no-store"

    me = await graphql(client.http, ME, body["access_token"])
    assert me["data"]["me"] == {
        "subject": ANA,
        "email": ANA,
        "role": "VIEWER",
        "permissions": ["DASHBOARD_READ"],
    }
    read = await graphql(client.http, OVERVIEW, body["access_token"])
    assert "errors" not in read and read["data"]["salesOverview"]["totalOrders"] == 0


async def test_cli_tokens_keep_working_and_have_no_email(client):
    me = await graphql(client.http, ME, client.token(Role.ANALYST))
    assert me["data"]["me"]["subject"] == "cli"
    assert me["data"]["me"]["email"] is None


async def test_the_refresh_cookie_is_httponly_strict_and_scoped(client):
    cookie = refresh_cookie(await login(client.http))
    assert len(cookie.value) >= 40
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "strict"
    assert cookie["path"] == "/api/v1/auth"
    assert cookie["max-age"] == str(7 * 24 * 3600)
    assert not cookie["secure"]  # plain http: a Secure cookie would never come back


async def test_the_cookie_is_secure_over_https_and_behind_a_trusted_proxy(database_url):
    await add_user(database_url, ANA)
    async with api_client(database_url, trusted_proxies="10.0.0.0/8") as client:
        async with from_address(client.app, "198.51.100.7", "https://test") as direct:
            assert refresh_cookie(await login(direct))["secure"] is True
        forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.7"}
        async with from_address(client.app, "10.1.2.3") as proxy:
            proxy.headers.update(forwarded)
            assert refresh_cookie(await login(proxy))["secure"] is True
        async with from_address(client.app, "198.51.100.8") as pretender:
            pretender.headers.update(forwarded)
            assert not refresh_cookie(await login(pretender))["secure"]


async def test_unknown_email_wrong_password_and_disabled_user_look_the_same(client, database_url):
    await add_user(database_url, "gone@example.com")
    await disable(database_url, "gone@example.com")
    verified: list[str | None] = []
    real_verify = passwords.PASSWORDS.verify

    def spy(stored: str | None, password: str) -> bool:
        verified.append(stored)
        return real_verify(stored, password)

    passwords.PASSWORDS.verify = spy  # type: ignore[method-assign]
    answers = [
        await login(client.http, "nobody@example.com"),
        await login(client.http, ANA, "not the password"),
        await login(client.http, "gone@example.com"),
    ]
    assert {(a.status_code, a.content) for a in answers} == {(401, answers[0].content)}
    assert answers[0].json() == WRONG
    assert not any(a.headers.get_list("set-cookie") for a in answers)
    assert len(verified) == 3 and verified[0] is None  # the unknown email was hashed too


async def test_a_full_hashing_queue_refuses_a_login_at_once(client, monkeypatch):
    """Every hashing thread busy and the queue full: a login is 503 at once, not after the
    wait behind them; the queued hashes still run."""
    loop = asyncio.get_running_loop()
    release = asyncio.Event()
    real = passwords.PASSWORDS

    class HeldPasswords(passwords.Passwords):
        def verify(self, stored: str | None, password: str) -> bool:
            asyncio.run_coroutine_threadsafe(release.wait(), loop).result()
            return real.verify(stored, password)

    monkeypatch.setattr(passwords, "PASSWORDS", HeldPasswords(real.hasher))
    queue = passwords.HASHING
    assert queue.limit == passwords.HASHING_THREADS + passwords.MAX_WAITING
    held = [asyncio.create_task(passwords.verify_password(None, "x")) for _ in range(queue.limit)]
    try:
        await until(lambda: queue.pending == queue.limit, "the hashing queue to fill")
        refused = await login(client.http)
    finally:
        release.set()
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.json() == {"error": "SERVICE_UNAVAILABLE", "detail": passwords.BUSY}
    assert await asyncio.gather(*held) == [False] * queue.limit
    assert queue.pending == 0
    assert (await login(client.http)).status_code == 200


async def test_refresh_rotates_and_a_reused_token_ends_the_session(client):
    first = refresh_cookie(await login(client.http)).value
    renewed = await post(client.http, REFRESH, first)
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["email"] == ANA and renewed.json()["role"] == "viewer"
    me = await graphql(client.http, ME, renewed.json()["access_token"])
    assert me["data"]["me"]["email"] == ANA
    second = refresh_cookie(renewed).value
    assert second != first

    later = datetime.now(UTC) + REUSE_GRACE + timedelta(seconds=1)
    client.app.state.clock = lambda: later
    reused = await post(client.http, REFRESH, first)
    assert reused.status_code == 401
    assert reused.json()["error"] == "UNAUTHENTICATED"
    assert "already used" in reused.json()["detail"]
    assert refresh_cookie(reused)["max-age"] == "0"
    thief_locked_out = await post(client.http, REFRESH, second)
    assert thief_locked_out.status_code == 401


async def test_two_tabs_refreshing_with_one_cookie_both_stay_signed_in(client):
    """Within the reuse grace a rotated token gets an access token but no refresh token of
    its own: the first refresh already set the successor in the cookie jar the tabs share,
    and a sibling would let whoever replayed a copied cookie fork the session for good."""
    cookie = refresh_cookie(await login(client.http)).value
    tabs = [await post(client.http, REFRESH, cookie) for _ in range(2)]
    assert [tab.status_code for tab in tabs] == [200, 200]
    for tab in tabs:
        me = await graphql(client.http, ME, tab.json()["access_token"])
        assert me["data"]["me"]["email"] == ANA
    successor = refresh_cookie(tabs[0]).value
    assert successor != cookie
    assert not tabs[1].headers.get_list("set-cookie")

    later = datetime.now(UTC) + REUSE_GRACE + timedelta(seconds=1)
    client.app.state.clock = lambda: later
    replayed = await post(client.http, REFRESH, cookie)
    assert replayed.status_code == 401
    assert "already used" in replayed.json()["detail"]


async def test_parallel_refreshes_with_one_cookie_leave_one_live_token(client):
    cookie = refresh_cookie(await login(client.http)).value
    answers = await asyncio.gather(*(post(client.http, REFRESH, cookie) for _ in range(20)))
    assert {answer.status_code for answer in answers} == {200}
    cookies = [refresh_cookie(a).value for a in answers if a.headers.get_list("set-cookie")]
    assert len(cookies) == 1
    assert (await post(client.http, LOGOUT, cookies[0])).status_code == 204
    assert (await post(client.http, REFRESH, cookies[0])).status_code == 401


async def test_a_token_rotated_moments_before_logout_is_refused(client):
    cookie = refresh_cookie(await login(client.http)).value
    renewed = refresh_cookie(await post(client.http, REFRESH, cookie)).value
    assert (await post(client.http, LOGOUT, renewed)).status_code == 204
    refused = await post(client.http, REFRESH, cookie)
    assert refused.status_code == 401
    assert "already used" in refused.json()["detail"]


async def test_refresh_without_a_valid_cookie_is_refused_and_clears_it(client):
    for cookie in (None, "made-up-token"):
        refused = await post(client.http, REFRESH, cookie)
        assert refused.status_code == 401
        assert refused.json()["error"] == "UNAUTHENTICATED"
        cleared = refresh_cookie(refused)
        assert (cleared["max-age"], cleared["path"]) == ("0", "/api/v1/auth")


async def test_logout_ends_the_session_and_clears_the_cookie(client):
    cookie = refresh_cookie(await login(client.http)).value
    out = await post(client.http, LOGOUT, cookie)
    assert out.status_code == 204 and out.content == b""
    cleared = refresh_cookie(out)
    assert (cleared.value, cleared["max-age"], cleared["path"]) == ("", "0", "/api/v1/auth")
    assert (await post(client.http, REFRESH, cookie)).status_code == 401
    assert (await post(client.http, LOGOUT, None)).status_code == 204


async def test_a_disabled_user_can_neither_sign_in_nor_refresh(client, database_url):
    cookie = refresh_cookie(await login(client.http)).value
    await disable(database_url, ANA.upper())
    refused = await post(client.http, REFRESH, cookie)
    assert refused.status_code == 401
    assert (await login(client.http)).json() == WRONG


async def test_an_expired_access_token_is_unauthenticated(database_url):
    await add_user(database_url, ANA)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    async with api_client(database_url, now=an_hour_ago) as client:
        token = (await login(client.http)).json()["access_token"]
        answer = await graphql(client.http, ME, token)
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired" in error["message"]


async def test_a_session_unused_for_the_refresh_ttl_has_expired(database_url):
    await add_user(database_url, ANA)
    async with api_client(database_url, now=datetime.now(UTC) - timedelta(days=8)) as client:
        cookie = refresh_cookie(await login(client.http)).value
    async with api_client(database_url) as client:
        expired = await post(client.http, REFRESH, cookie)
    assert expired.status_code == 401
    assert expired.json() == {
        "error": "UNAUTHENTICATED",
        "detail": "the session has expired; sign in again",
    }


@pytest.mark.parametrize(
    ("content", "headers", "status", "detail"),
    [
        (
            b'{"email": "a@b.co", "password": "x"}',
            {"content-type": "text/plain"},
            415,
            "application/json",
        ),
        (b'{"email": "a@b.co", "password": "x"}', {}, 415, "Content-Type"),
        (b'{"email": ', {"content-type": "application/json"}, 400, "JSON"),
        (b"[]", {"content-type": "application/json"}, 400, "body"),
        (b'{"email": "a@b.co"}', {"content-type": "application/json"}, 400, "password"),
        (b'{"email": 5, "password": "x"}', {"content-type": "application/json"}, 400, "email"),
        (
            b'{"email": "a@b.co", "password": "' + b"x" * 5000 + b'"}',
            {"content-type": "application/json"},
            413,
            "4096",
        ),
    ],
    ids=["text-plain", "no-type", "bad-json", "array", "no-password", "number", "too-large"],
)
async def test_a_malformed_login_is_refused_with_a_reason(client, content, headers, status, detail):
    response = await client.http.post(LOGIN, content=content, headers=headers)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == ("PAYLOAD_TOO_LARGE" if status == 413 else "BAD_USER_INPUT")
    assert detail in body["detail"]


LIMITS = {
    "login_failures_per_email": "3 per 15 minutes",
    "login_failures_per_ip": "5 per 15 minutes",
}


async def test_failures_per_email_lock_that_email_even_with_the_right_password(database_url):
    await add_user(database_url, ANA)
    await add_user(database_url, "bo@example.com")
    async with api_client(database_url, **LIMITS) as client:
        failures = []
        for n in range(3):
            async with from_address(client.app, f"198.51.100.{n + 1}") as http:
                failures.append((await login(http, password="guess")).status_code)
        async with from_address(client.app, "198.51.100.9") as http:
            locked = await login(http)
            other = await login(http, "bo@example.com")
    assert failures == [401, 401, 401]
    assert locked.status_code == 429
    assert locked.json()["error"] == "RATE_LIMIT_EXCEEDED"
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert other.status_code == 200


async def test_failures_per_ip_lock_that_ip_for_every_email(database_url):
    await add_user(database_url, ANA)
    async with api_client(database_url, **LIMITS) as client:
        async with from_address(client.app, "198.51.100.1") as http:
            failures = [(await login(http, f"user{n}@example.com")).status_code for n in range(5)]
            locked = await login(http)
        async with from_address(client.app, "198.51.100.2") as elsewhere:
            allowed = await login(elsewhere)
    assert failures == [401] * 5
    assert locked.status_code == 429 and "retry-after" in locked.headers
    assert allowed.status_code == 200


async def test_signing_in_between_guesses_resets_nothing(database_url):
    await add_user(database_url, ANA)
    await add_user(database_url, "mallory@example.com")
    limits = {**LIMITS, "login_failures_per_ip": "3 per 15 minutes"}
    async with api_client(database_url, **limits) as client:
        statuses = []
        for _ in range(4):
            statuses.append((await login(client.http, password="guess")).status_code)
            statuses.append((await login(client.http, "mallory@example.com")).status_code)
    assert statuses == [401, 200, 401, 200, 401, 429, 429, 429]


async def test_instances_sharing_redis_share_the_failure_counts(database_url):
    need("Redis", REDIS_URL)
    await add_user(database_url, ANA)
    shared = {**LIMITS, "redis_url": REDIS_URL, "redis_timeout_ms": 1000}
    async with api_client(database_url, **shared) as a, api_client(database_url, **shared) as b:
        seen = [
            (await login(a.http, password="guess")).status_code,
            (await login(b.http, password="guess")).status_code,
            (await login(a.http, password="guess")).status_code,
            (await login(b.http)).status_code,
        ]
    assert seen == [401, 401, 401, 429]


class SlowRedis:
    """A stand-in for the Redis storage of the counters: counts in a dict, and a call made
    while it is stalled times out."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.stalled = False

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        if self.stalled:
            raise TimeoutError("the call took longer than the counters wait")
        self.counts[key] = self.counts.get(key, 0) + amount
        return self.counts[key]

    async def get_expiry(self, key: str) -> float:
        return time.time() + 900


def guard_over(redis: SlowRedis, **settings: Any) -> LoginGuard:
    config = Settings(redis_url="redis://127.0.0.1:1/0", secret_key="s" * 48, **settings)
    counters = login_counters(config)
    counters.shared = redis  # type: ignore[assignment]
    return LoginGuard(SimpleNamespace(settings=config, login_counters=counters))


SCOPE = {"type": "http", "client": ("198.51.100.7", 40000), "headers": []}


async def test_a_login_count_is_taken_back_from_the_store_it_went_to():
    """A sign-in counted in Redis, while another sign-in's Redis call timed out (which opens
    the breaker): its take-back goes to Redis too, not to memory, where it would leave the
    Redis count one too high for good."""
    redis = SlowRedis()
    guard = guard_over(redis)
    counters = guard.state.login_counters

    async def succeeds_while_another_times_out() -> str:
        redis.stalled = True
        assert (await counters.hit(guard.per_ip, "login-ip:192.0.2.9")).shared is False
        redis.stalled = False
        return "signed in"

    assert await guard.attempt(SCOPE, ANA, succeeds_while_another_times_out) == "signed in"
    assert not counters.breaker.closed
    login_keys = {key: n for key, n in redis.counts.items() if "192.0.2.9" not in key}
    assert sorted(login_keys.values()) == [0, 0]
    assert counters.local.hit(guard.per_email, f"login-email:{ANA}").used == 1


async def test_a_login_count_waits_longer_for_redis_than_a_rate_limit_count():
    config = Settings(redis_url="redis://127.0.0.1:1/0", redis_timeout_ms=15)
    counters = login_counters(config)
    try:
        assert counters.timeout == 0.25
        assert counters.redis is not None
        assert counters.redis.connection_pool.connection_kwargs["socket_timeout"] == 0.25
    finally:
        await counters.close()
