"""What the edge promises every browser and caller: security headers on every response, CORS
closed unless an origin is listed, introspection and dataAsOf only for callers allowed to
see them, no forced recompute without a token, the home page, and documentation pages
whose scripts and styles are all served by us."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopx.auth import Role
from tests.api import ApiClient, api_client, sqlite_copy

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
OVERVIEW = {
    "query": "query Overview($p: Period!) { salesOverview(period: $p) { totalOrders } }",
    "variables": {"p": "MONTH"},
}
SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Query") { name } }'
HIDDEN = "query { ...F } fragment F on Query { __schema { queryType { name } } }"
SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
}
SITE = "https://shop.example.com"
ASSET_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


@pytest.fixture
def url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database of this test (the edge does not depend on the dialect)."""
    return sqlite_copy(sqlite_template, tmp_path)


@asynccontextmanager
async def edge(url: str, **settings: Any) -> AsyncIterator[ApiClient]:
    async with api_client(url, now=NOW, **settings) as client:
        yield client


def bearer(client: ApiClient, role: Role = Role.ANALYST) -> dict[str, str]:
    return {"authorization": f"Bearer {client.token(role)}"}


def assert_secured(response: httpx.Response) -> None:
    assert {name: response.headers.get(name) for name in SECURITY} == SECURITY


# -- security headers --------------------------------------------------------------------


async def test_security_headers_on_graphql_cached_rest_missing_and_refused(url):
    async with edge(url, rate_limit_enabled=True, rate_limit_authenticated="3/minute") as client:
        token = bearer(client)
        answers = [
            await client.http.post("/graphql", json=OVERVIEW, headers=token),
            await client.http.post("/graphql", json=OVERVIEW, headers=token),
            await client.http.get("/health"),
            await client.http.get("/nowhere", headers=token),
            await client.http.get("/", headers=token),
        ]
    assert [a.status_code for a in answers] == [200, 200, 200, 404, 429]
    assert answers[1].headers["x-cache"] == "HIT-L1"
    for answer in answers:
        assert_secured(answer)


# -- CORS --------------------------------------------------------------------------------


def preflight(origin: str) -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
    }


async def test_cors_is_closed_by_default(url):
    async with edge(url) as client:
        simple = await client.http.post(
            "/graphql", json=OVERVIEW, headers={"origin": SITE, **bearer(client)}
        )
        checked = await client.http.options("/graphql", headers=preflight(SITE))
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers
    assert "access-control-allow-origin" not in checked.headers


async def test_a_listed_origin_passes_preflight_and_reads_answers_cached_or_not(url):
    async with edge(url, cors_origins=f"{SITE}/, https://other.example.com") as client:
        checked = await client.http.options("/graphql", headers=preflight(SITE))
        headers = {"origin": SITE, **bearer(client)}
        answers = [await client.http.post("/graphql", json=OVERVIEW, headers=headers)]
        answers.append(await client.http.post("/graphql", json=OVERVIEW, headers=headers))
        stranger = await client.http.options("/graphql", headers=preflight("https://evil.test"))
    assert checked.status_code == 200
    assert checked.headers["access-control-allow-origin"] == SITE
    assert "authorization" in checked.headers["access-control-allow-headers"].lower()
    assert_secured(checked)
    assert [a.headers.get("x-cache") for a in answers] == ["MISS", "HIT-L1"]
    for answer in answers:
        assert answer.headers["access-control-allow-origin"] == SITE
        assert "x-ratelimit-remaining" in answer.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in stranger.headers


# -- introspection and dataAsOf ----------------------------------------------------------


async def graphql(client: ApiClient, query: str, **headers: str) -> dict[str, Any]:
    response = await client.http.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


@pytest.mark.parametrize(
    ("anonymous_reads", "introspection", "allowed"),
    [
        (False, "auto", False),
        (True, "auto", True),
        (False, "on", True),
        (True, "off", False),
    ],
)
async def test_anonymous_introspection_follows_the_access_rules(
    url, anonymous_reads, introspection, allowed
):
    settings = {"anonymous_reads": anonymous_reads, "introspection": introspection}
    async with edge(url, **settings) as client:
        anonymous = [await graphql(client, query) for query in (SCHEMA, TYPE, HIDDEN)]
        with_token = await graphql(client, SCHEMA, **bearer(client, Role.VIEWER))
        typename = await graphql(client, "{ __typename }")
    expected = None if allowed else "UNAUTHENTICATED"
    assert [code(body) for body in anonymous] == [expected] * 3
    assert with_token["data"]["__schema"]["queryType"]["name"] == "Query"
    assert typename["data"] == {"__typename": "Query"}


async def test_a_bad_token_gets_no_introspection(url):
    async with edge(url, anonymous_reads=False) as client:
        body = await graphql(client, SCHEMA, authorization="Bearer not-a-token")
    assert code(body) == "UNAUTHENTICATED"


async def test_data_as_of_only_for_callers_who_may_read(url):
    async with edge(url, anonymous_reads=False) as client:
        refused = await graphql(client, "{ __typename }")
        allowed = await graphql(client, "{ __typename }", **bearer(client, Role.VIEWER))
    assert "dataAsOf" not in refused.get("extensions", {})
    assert datetime.fromisoformat(allowed["extensions"]["dataAsOf"])


# -- Cache-Control: no-cache -------------------------------------------------------------


async def test_no_cache_recomputes_only_for_token_holders(url):
    async with edge(url, anonymous_reads=True) as client:
        no_cache = {"cache-control": "no-cache"}
        first = await client.http.post("/graphql", json=OVERVIEW)
        anonymous = await client.http.post("/graphql", json=OVERVIEW, headers=no_cache)
        holder = {**no_cache, **bearer(client)}
        await client.http.post("/graphql", json=OVERVIEW, headers=bearer(client))
        forced = await client.http.post("/graphql", json=OVERVIEW, headers=holder)
    assert first.headers["x-cache"] == "MISS"
    assert anonymous.headers["x-cache"] == "HIT-L1"
    assert forced.headers["x-cache"] == "MISS"


# -- home page and documentation ---------------------------------------------------------


async def test_home_page_names_the_shop_and_links_the_tools(url):
    async with edge(url, shop_name="Corner <Shop>") as client:
        page = await client.http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Corner &lt;Shop&gt;" in page.text
    links = set(re.findall(r'href="([^"]+)"', page.text))
    assert {"/graphql", "/docs", "/redoc", "/metrics", "/health"} <= links


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/graphql"])
async def test_documentation_pages_load_only_our_own_assets(url, page):
    async with edge(url) as client:
        html = await client.http.get(page, headers={"accept": "text/html"})
        assert html.status_code == 200
        assert "://" not in re.sub(r"xmlns(:\w+)?=\"[^\"]*\"", "", _tags(html.text))
        assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        assert assets, "the page loads no assets"
        for asset in assets:
            assert asset.startswith("/static/"), asset
            answer = await client.http.get(asset)
            assert answer.status_code == 200, asset
            kind = ASSET_TYPES[Path(asset).suffix]
            assert kind in answer.headers["content-type"], (asset, answer.headers)


def _tags(html: str) -> str:
    """The page's tags that load something (scripts and links), where a CDN would appear."""
    return " ".join(re.findall(r"<(?:script|link)\b[^>]*>", html))


async def test_graphiql_opens_on_a_query_that_runs_and_sends_no_placeholder_token(url):
    """A placeholder ``Authorization`` header in GraphiQL was sent as it stood, so every
    query from the page was refused even where anonymous reads are on."""
    async with edge(url, anonymous_reads=True) as client:
        html = (await client.http.get("/graphql", headers={"accept": "text/html"})).text
        assert "defaultHeaders" not in html
        first = json.loads(re.search(r'defaultQuery: ("(?:[^"\\]|\\.)*")', html).group(1))
        answer = await client.http.post("/graphql", json={"query": first})
    assert answer.status_code == 200
    assert "errors" not in answer.json()
    assert set(answer.json()["data"]["salesOverview"]) == {
        "totalRevenue",
        "totalOrders",
        "averageOrderValue",
    }
