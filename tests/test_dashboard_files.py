"""The dashboard's build served at ``/``: client routes get ``index.html`` (revalidated),
hashed assets are cached for good, and the API's own paths are never shadowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api import api_client

INDEX = "<!doctype html><title>ShopX</title><div id=root></div>"
SCRIPT = "console.log('dashboard');\n" * 200


@pytest.fixture
def build(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX)
    (folder / "assets" / "index-3f2a9c.js").write_text(SCRIPT)
    (folder / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("not served")
    return folder


@pytest.mark.parametrize("path", ["/", "/products/42?period=MONTH", "/customers/cohorts"])
async def test_every_client_route_answers_the_page_revalidated(database_url, build, path):
    async with api_client(database_url, dashboard_dir=build) as client:
        response = await client.http.get(path)

    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"


async def test_hashed_assets_are_cached_for_good_and_compressed(database_url, build):
    async with api_client(database_url, dashboard_dir=build) as client:
        response = await client.http.get(
            "/assets/index-3f2a9c.js", headers={"accept-encoding": "gzip"}
        )
        icon = await client.http.get("/favicon.svg")

    assert response.status_code == 200
    assert response.text == SCRIPT
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert icon.headers["cache-control"] == "public, max-age=3600"


async def test_head_answers_like_get_without_a_body(database_url, build):
    """Monitors and caches ask HEAD first."""
    async with api_client(database_url, dashboard_dir=build) as client:
        page = await client.http.head("/products/42")
        asset = await client.http.head("/assets/index-3f2a9c.js")

    assert page.status_code == asset.status_code == 200
    assert page.headers["cache-control"] == "no-cache" and page.content == b""
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "path", ["/assets/missing-000.js", "/robots.txt", "/assets/..%2F..%2Fsecret.txt"]
)
async def test_a_missing_file_is_a_404_not_the_page(database_url, build, path):
    async with api_client(database_url, dashboard_dir=build) as client:
        response = await client.http.get(path)

    assert response.status_code == 404
    assert "not served" not in response.text


@pytest.mark.parametrize(
    "path",
    ["/%00", "/products/%00.js", "/" + "a" * 256, "/assets/" + "b" * 300 + ".js"],
    ids=["nul", "nul-in-file", "long-segment", "long-asset"],
)
async def test_a_path_no_file_can_have_is_a_404(database_url, build, path):
    """A NUL byte or a segment longer than a file name may be fails in the file system
    (ValueError, ENAMETOOLONG): that is a 404, not a 500 with a traceback."""
    async with api_client(database_url, dashboard_dir=build) as client:
        response = await client.http.get(path)

    assert response.status_code == 404
    assert response.json()["error"] == "NOT_FOUND"


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/graphql/extra", "/metrics/x"])
async def test_unknown_api_paths_are_404_never_the_page(database_url, build, path):
    async with api_client(database_url, dashboard_dir=build) as client:
        response = await client.http.get(path)

    assert response.status_code == 404
    assert response.text != INDEX


async def test_the_apis_own_pages_still_answer(database_url, build):
    async with api_client(database_url, dashboard_dir=build) as client:
        health = await client.http.get("/health")
        graphiql = await client.http.get("/graphql", headers={"accept": "text/html"})
        docs = await client.http.get("/docs")

    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert graphiql.status_code == 200 and "graphiql" in graphiql.text.lower()
    assert docs.status_code == 200 and docs.text != INDEX


async def test_without_a_build_the_root_lists_the_apis_pages(database_url, tmp_path):
    async with api_client(database_url, dashboard_dir=tmp_path / "empty") as client:
        response = await client.http.get("/")

    assert response.status_code == 200
    assert 'href="/graphql"' in response.text
