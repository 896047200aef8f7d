"""A storm of cold analytics requests against a real ``shopx serve``: every one answers.

Sixteen concurrent uncached ``topProducts(period: YEAR)`` used to stall the whole process
for the pool timeout and then fail (each held a connection while its DataLoader waited for
a second one). Here 64 distinct uncached requests of every analytics kind, and one document
of 15 ``topProducts`` aliases, go at once to one worker on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopx.auth import Role, create_token
from shopx.bench.cold_storm import KINDS, aliased_top_products, document, storm_request
from shopx.bench.processes import Server, free_port, running_server
from shopx.bench.runner import api_command
from tests.servers import served_env

SECRET = "pool-concurrency-test-secret-0123456789"
STORM = 64


def storm() -> list[dict[str, Any]]:
    """``STORM`` requests, every kind of analytics query in turn (the bench's cold_storm)."""
    return [storm_request(index) for index in range(STORM)]


def server_env(database_url: str, folder: Path) -> dict[str, str]:
    return served_env(database_url, folder, secret=SECRET)


@pytest.fixture
def api(seeded_url: str, tmp_path: Path) -> Iterator[Server]:
    """One ``shopx serve`` worker on the seeded shop (it only reads)."""
    port = free_port()
    env = server_env(seeded_url, tmp_path)
    with running_server("the API", api_command(port, 1), port=port, env=env) as server:
        yield server


async def _post(client: httpx.AsyncClient, payload: dict[str, Any]) -> list[Any]:
    response = await client.post("/graphql", json=payload)
    if response.status_code != 200:
        return [f"status {response.status_code}: {response.text[:300]}"]
    return response.json().get("errors", [])


async def test_a_storm_of_cold_analytics_requests_all_answer(api: Server) -> None:
    token = create_token(SECRET, Role.ADMIN, ttl=timedelta(hours=1), subject="storm")
    headers = {"authorization": f"Bearer {token}", "cache-control": "no-cache"}
    limits = httpx.Limits(max_connections=STORM + 1)
    async with httpx.AsyncClient(
        base_url=api.base_url, headers=headers, limits=limits, timeout=120
    ) as client:
        payloads = [*storm(), aliased_top_products()]
        errors = await asyncio.gather(*(_post(client, payload) for payload in payloads))
        health = await client.get("/health")

    failed = {n: found for n, found in enumerate(errors) if found}
    assert failed == {}
    assert health.status_code == 200


def test_the_storm_asks_for_every_kind_and_nothing_twice() -> None:
    requests = storm()
    assert len({str(request) for request in requests}) == STORM
    documents = {request["query"] for request in requests}
    assert {document(kind, 3) for kind in KINDS} <= documents
