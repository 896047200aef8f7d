"""A hung but connected instance (SIGSTOP: its subscription stays open, so ``PUBLISH`` still
counts it) costs the other instances' writes at most one lease, not ``ACK_TIMEOUT`` each;
resumed, it answers fresh."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from shopx.auth import Role, create_token
from shopx.bench.processes import Server
from shopx.cache.freshness import ACK_TIMEOUT, CLOCK_SKEW, LEASE
from tests.mutations import CREATE_ORDER, build_shop, order_input
from tests.servers import served_env, serving
from tests.services import REDIS_URL, need

pytestmark = pytest.mark.serial  # its bound holds on an unloaded machine (Makefile)

SECRET = "hung-instance-test-secret-0123456789abcdef"
WRITES = 10
ORDERS = "{ orders { totalCount } }"


@contextmanager
def stopped(server: Server) -> Iterator[None]:
    """``server``'s processes stopped (SIGSTOP), its sockets left open; resumed on the way out."""
    group = os.getpgid(server.process.pid)
    os.killpg(group, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(group, signal.SIGCONT)


def order_count(client: httpx.Client, server: Server) -> tuple[str, int]:
    response = client.post(f"{server.base_url}/graphql", json={"query": ORDERS})
    assert response.status_code == 200, response.text
    return response.headers["x-cache"], response.json()["data"]["orders"]["totalCount"]


def create_order(client: httpx.Client, server: Server, customer: int, product: int) -> None:
    payload = {"query": CREATE_ORDER, "variables": {"input": order_input(customer, (product, 1))}}
    response = client.post(f"{server.base_url}/graphql", json=payload)
    assert response.status_code == 200 and "errors" not in response.json(), response.text


@pytest.mark.parametrize("dialect", ["sqlite"])
async def test_a_stopped_instance_does_not_stall_writes_and_resumes_fresh(
    engine, database_url: str, tmp_path: Path
) -> None:
    need("Redis", REDIS_URL)
    shop = await build_shop(engine, stock=WRITES + 1)
    token = create_token(SECRET, Role.ADMIN, ttl=timedelta(hours=1), subject="hung")
    env = served_env(database_url, tmp_path, secret=SECRET, REDIS_URL=REDIS_URL)
    with (
        serving(env) as writer,
        serving(env) as hung,
        httpx.Client(headers={"authorization": f"Bearer {token}"}, timeout=30) as client,
    ):
        _, before = order_count(client, hung)
        assert order_count(client, hung) == ("HIT-L1", before)
        with stopped(hung):
            started = time.monotonic()
            for _ in range(WRITES):
                create_order(client, writer, shop.north, shop.cap)
            took = time.monotonic() - started
        # Waiting ACK_TIMEOUT for each write would take WRITES * 1.25 s; the hung instance
        # may cost the first writes one lease, and no write afterwards.
        assert took < LEASE + CLOCK_SKEW + WRITES * 0.25 < WRITES * ACK_TIMEOUT
        assert order_count(client, hung)[1] == before + WRITES
        create_order(client, writer, shop.north, shop.cap)
        assert order_count(client, hung)[1] == before + WRITES + 1
